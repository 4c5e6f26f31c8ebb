import { useState } from 'react';
import type { ApprovalWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { Icon } from './icon.tsx';

/** The requester's three answers, in the order they are offered. */
const DECISIONS = [
  { label: 'Approve', approve: true, always: false, className: 'button button-primary', testId: 'approval-approve' },
  { label: 'Approve always', approve: true, always: true, className: 'button', testId: 'approval-always' },
  { label: 'Decline', approve: false, always: false, className: 'button button-danger', testId: 'approval-decline' },
] as const;

/**
 * A tool call waiting for the requester's approval (only they receive it): the tool and its
 * arguments as readable fields, and Approve / Approve always (remembers this tool for you, in
 * every thread — never for anyone else, SPEC I7) / Decline.
 *
 * The fields are not editable, by decision (issue 11.5): an approval answers "may the agent make
 * exactly this call?", and the gateway validated, authorized and audited exactly these arguments
 * before pausing. Approving different ones would need the gateway to validate and audit them
 * again on resume and the approval record to carry both versions; until then the honest way to
 * change a title is to decline and ask again in your own words, which goes through every check.
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
      <ApprovalFields args={approval.args} />
      <details className="approval-raw">
        <summary>Exact arguments</summary>
        <pre className="approval-args" data-testid="approval-args">
          {JSON.stringify(approval.args, null, 2)}
        </pre>
      </details>
      <p className="muted small approval-edit-note">To change any of this, decline and ask again in your own words.</p>
      <div className="approval-actions">
        {DECISIONS.map((choice) => (
          <button
            key={choice.testId}
            type="button"
            className={choice.className}
            disabled={busy}
            onClick={() => void decide(choice.approve, choice.always)}
            data-testid={choice.testId}
            title={choice.always ? `Always allow ${approval.tool} for you` : undefined}
          >
            {choice.label}
          </button>
        ))}
      </div>
      <p className="muted small approval-always-note" data-testid="approval-always-note">
        <strong>Approve always</strong> lets the agent run <code>{approval.tool}</code> for you without asking again, in
        every thread. It never approves anything for anyone else.
      </p>
    </section>
  );
}

/** Arguments as a definition list: humanized names, text as text, long text as a paragraph. */
function ApprovalFields({ args }: { args: unknown }) {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const entries = Object.entries(args as Record<string, unknown>);
  if (entries.length === 0) return <p className="muted small">No arguments.</p>;
  return (
    <dl className="approval-fields" data-testid="approval-fields">
      {entries.map(([key, value]) => (
        <div key={key} className="approval-field" data-field={key}>
          <dt>{humanize(key)}</dt>
          <dd className={typeof value === 'string' && value.length > 80 ? 'approval-long' : undefined}>
            {typeof value === 'string' ? (
              key === 'severity' ? (
                <span className={`badge badge-severity-${value}`}>{value}</span>
              ) : (
                value
              )
            ) : typeof value === 'number' || typeof value === 'boolean' ? (
              String(value)
            ) : (
              <code>{JSON.stringify(value)}</code>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** `reporter_id` → "Reporter id", `dueDate` → "Due date". */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
