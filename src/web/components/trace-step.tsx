import type { RunStepWire } from '../../protocol/wire.ts';
import { Chips } from './chips.tsx';
import { LabelOrigins } from './label-origins.tsx';

const DECISION_TEXT = {
  allow: 'allowed',
  deny: 'denied',
  error: 'error',
  'approval-required': 'needs approval',
} as const;

/** One line of a run's trace. */
export function TraceStep({ step, start }: { step: RunStepWire; start: number }) {
  return (
    <li
      className={step.kind === 'model-step' ? 'trace-step trace-step-minor' : 'trace-step'}
      data-testid="trace-step"
      data-kind={step.kind}
      data-decision={step.kind === 'tool-call' ? step.decision : undefined}
      data-audience={step.kind === 'disclosure' ? step.audience : undefined}
      data-part={step.kind === 'disclosure' ? step.part : undefined}
    >
      <span className="trace-offset">+{Math.max(0, step.at - start)} ms</span>
      <StepLine step={step} />
      {step.kind === 'tool-call' || step.kind === 'disclosure' ? (
        <Policies policies={step.policies} reason={step.reason} />
      ) : null}
    </li>
  );
}

/** What happened at a step, in words. */
function StepLine({ step }: { step: RunStepWire }) {
  switch (step.kind) {
    case 'tool-call':
      return (
        <span className="trace-line">
          Tool <code>{step.tool}</code>{' '}
          <span className={`badge badge-decision-${step.decision}`}>{DECISION_TEXT[step.decision]}</span>
          {step.durationMs !== undefined ? <span className="muted"> in {formatMs(step.durationMs)}</span> : null}
          {step.labels && step.labels.length > 0 ? <Chips items={step.labels} kind="label" /> : null}
          {step.labelSources && step.labelSources.length > 0 ? (
            <span className="muted" data-testid="trace-label-sources">
              {' '}
              from {step.labelSources.map((source) => `${source.source} (${source.label})`).join(', ')}
            </span>
          ) : null}
        </span>
      );
    case 'disclosure':
      return (
        <span className="trace-line">
          Disclosure{step.part ? ` of the ${step.part} part` : ''}:{' '}
          <strong>{step.audience === 'thread' ? 'shown to the whole thread' : 'shown to you only'}</strong>
          {step.labels.length > 0 ? <Chips items={step.labels} kind="label" /> : null}
          {step.origins && step.origins.length > 0 ? <LabelOrigins origins={step.origins} /> : null}
        </span>
      );
    case 'approval':
      return (
        <span className="trace-line">
          Approval for <code>{step.tool}</code>: {step.outcome}
        </span>
      );
    case 'model-step':
      return (
        <span className="trace-line muted">
          Model step {step.index + 1} ({step.finishReason})
        </span>
      );
    case 'error':
      return <span className="trace-line trace-error">{step.message}</span>;
  }
}

function Policies({ policies, reason }: { policies: string[]; reason: string | undefined }) {
  if (policies.length === 0 && !reason) return null;
  return (
    <span className="trace-detail">
      {policies.length > 0 ? (
        <>
          {policies.length === 1 ? 'Policy ' : 'Policies '}
          {policies.map((policy, index) => (
            <span key={policy}>
              {index > 0 ? ', ' : ''}
              <code>{policy}</code>
            </span>
          ))}
        </>
      ) : null}
      {reason ? <span className="trace-reason"> — {reason}</span> : null}
    </span>
  );
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
