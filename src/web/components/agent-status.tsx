import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import type { RunState } from '../thread-state.ts';

/** "The agent is working for …" while runs are queued, running or waiting for an approval. */
export function AgentStatus({ runs }: { runs: RunState[] }) {
  const { people, me } = useApp();
  return (
    <div
      className="agent-status"
      aria-live="polite"
      data-testid="agent-status"
      data-active={runs.length > 0 ? 'true' : 'false'}
    >
      {runs.map((run) => {
        const who = run.requesterId === me.id ? 'you' : nameOf(people, run.requesterId);
        const text =
          run.status === 'awaiting_approval'
            ? `Agent is waiting for ${run.requesterId === me.id ? 'your' : `${who}'s`} approval`
            : run.status === 'queued'
              ? `Agent is queued for ${who}`
              : `Agent is working for ${who}`;
        return (
          <span key={run.id} className="agent-status-item" data-run-id={run.id} data-status={run.status}>
            <span className="spinner" aria-hidden="true" />
            {text}…
          </span>
        );
      })}
    </div>
  );
}
