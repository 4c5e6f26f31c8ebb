import { useState } from 'react';
import type { ApprovalWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { Icon } from './icon.tsx';

/**
 * A tool call waiting for the requester's approval (only they receive it): the tool and its
 * arguments, and Approve / Approve always (remembers this tool for you, never the thread) / Decline.
 */
export function ApprovalCard({ approval, onDecided }: { approval: ApprovalWire; onDecided: () => void }) {
  const { api, notify } = useApp();
  const [busy, setBusy] = useState(false);

  const decide = async (approve: boolean, always: boolean) => {
    setBusy(true);
    try {
      await api.decideApproval(approval.id, approve, always);
      onDecided();
    } catch (error) {
      notify(error);
      setBusy(false);
    }
  };

  return (
    <section
      className="approval-card"
      data-testid="approval-card"
      data-approval-id={approval.id}
      aria-label="Approval needed"
    >
      <header className="approval-header">
        <Icon name="pause" className="approval-icon" />
        <div>
          <h3>
            The agent wants to run <code>{approval.tool}</code> for you
          </h3>
          <p className="muted small">It is paused until you decide. Only you can see this.</p>
        </div>
      </header>
      <pre className="approval-args" data-testid="approval-args">
        {JSON.stringify(approval.args, null, 2)}
      </pre>
      <div className="approval-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void decide(true, false)}
          data-testid="approval-approve"
        >
          Approve
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void decide(true, true)}
          data-testid="approval-always"
          title={`Always allow ${approval.tool} for you`}
        >
          Approve always
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() => void decide(false, false)}
          data-testid="approval-decline"
        >
          Decline
        </button>
      </div>
    </section>
  );
}
