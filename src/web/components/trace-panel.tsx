import { useEffect, useId, useRef, useState } from 'react';
import type { RunStatusWire, RunStepWire, RunWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { Chips } from './chips.tsx';
import { TraceStep } from './trace-step.tsx';

/**
 * The requester's view of how an answer was made (`GET /api/runs/:id`): each tool call with its
 * decision, the policies that decided, the labels of what it read and how long it took, and the
 * disclosure decision. Fetched when opened, and again when the run's status changes.
 */
export function TracePanel({ runId, runStatus }: { runId: string; runStatus: RunStatusWire | undefined }) {
  const { api, notify } = useApp();
  const [open, setOpen] = useState(false);
  const [run, setRun] = useState<RunWire | null>(null);
  const panelId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const revealed = useRef(false);

  // The first time the trace appears, bring it into view: it opens below a possibly long answer.
  useEffect(() => {
    if (!open) revealed.current = false;
    else if (run && !revealed.current) {
      revealed.current = true;
      panel.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }, [open, run]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runStatus is a refetch trigger
  useEffect(() => {
    if (!open) return;
    let current = true;
    api.run(runId).then(
      (loaded) => current && setRun(loaded),
      (error: unknown) => current && notify(error),
    );
    return () => {
      current = false;
    };
  }, [api, runId, open, runStatus, notify]);

  return (
    <div className="trace">
      <button
        type="button"
        className="trace-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        data-testid="trace-toggle"
      >
        <span className="trace-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        How this answer was made
      </button>
      {open ? (
        <div id={panelId} ref={panel} className="trace-panel" data-testid="trace-panel">
          {run === null ? (
            <p className="muted" aria-busy="true">
              Loading trace…
            </p>
          ) : (
            <>
              <p className="trace-summary">
                <span className={`badge badge-status-${run.status}`} data-testid="trace-status">
                  {run.status.replace('_', ' ')}
                </span>
                <span>
                  {run.summary.toolCalls} tool {run.summary.toolCalls === 1 ? 'call' : 'calls'}, {run.summary.denied}{' '}
                  denied · {run.mode === 'self' ? 'self-authorized' : 'on your authority'}
                </span>
                {run.labels && run.labels.length > 0 ? <Chips items={run.labels} kind="label" /> : null}
              </p>
              {run.error ? <p className="trace-error">{run.error}</p> : null}
              <ol className="trace-steps">
                {inTimeOrder(run.steps ?? []).map((step, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: steps are append-only
                  <TraceStep key={index} step={step} start={startOf(run)} />
                ))}
              </ol>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Steps by the time they happened. They are recorded when they end (a tool call is appended after
 * it returns, stamped with its start), so append order can put a later time first; a stable sort
 * keeps steps of the same instant in the order they were recorded, and times never go backwards.
 */
function inTimeOrder(steps: readonly RunStepWire[]): RunStepWire[] {
  return [...steps].sort((a, b) => a.at - b.at);
}

/** The trace's zero: the run's creation, or its first step if a clock put that earlier. */
function startOf(run: RunWire): number {
  return Math.min(run.createdAt, ...(run.steps ?? []).map((step) => step.at));
}
