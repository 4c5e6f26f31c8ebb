import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { AuditFilters as Filters } from '../api.ts';
import { useApp } from '../app-context.ts';

/** Actions the log records, with what each means, for the action filter. */
export const AUDIT_ACTIONS: ReadonlyArray<{ action: string; label: string }> = [
  { action: 'tool.call', label: 'Tool call' },
  { action: 'data.query', label: 'SQL query' },
  { action: 'data.write', label: 'Data write' },
  { action: 'document.retrieve', label: 'Document read' },
  { action: 'context.assemble', label: 'Context assembled' },
  { action: 'disclosure.decide', label: 'Answer delivery' },
  { action: 'disclosure.shared-part', label: 'Shared part of a split answer' },
  { action: 'message.share', label: 'Answer shared' },
  { action: 'approval.decide', label: 'Approval' },
  { action: 'agent.invoke', label: 'Agent invoked' },
  { action: 'run.cancel', label: 'Run cancelled' },
  { action: 'thread.create', label: 'Thread created' },
  { action: 'thread.member-add', label: 'Member added' },
  { action: 'thread.member-remove', label: 'Member removed' },
  { action: 'thread.mode', label: 'Agent mode changed' },
  { action: 'thread.agent-assign', label: 'Agent identity assigned' },
  { action: 'agent.provision', label: 'Agent identity provisioned' },
  { action: 'admin.decide', label: 'Administrator’s what-if decision' },
  { action: 'connector.connect', label: 'Connector connected' },
  { action: 'connector.disconnect', label: 'Connector disconnected' },
  { action: 'demo.seed', label: 'Demo seeded' },
];

const EMPTY: Filters = { q: '', from: '', to: '', action: '', user: '', thread: '', run: '', decision: '' };

interface AuditFiltersProps {
  value: Filters;
  /** Thread titles by id: every thread the log names for auditors, one's own threads for others. */
  threads: ReadonlyMap<string, string>;
  onApply: (filters: Filters) => void;
}

/** Filter form of the audit page: text search, date range, action, requester, thread, run and decision. */
export function AuditFilters({ value, threads, onApply }: AuditFiltersProps) {
  const { people } = useApp();
  const [draft, setDraft] = useState<Filters>(value);
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, q: draft.q?.trim() ?? '', run: draft.run?.trim() ?? '' });
  };
  const sortedThreads = [...threads].sort((a, b) => a[1].localeCompare(b[1]));

  const input = (key: keyof Filters) => ({
    className: 'input',
    value: draft[key] ?? '',
    onChange: set(key),
    'data-testid': `audit-filter-${key}`,
  });

  return (
    <form className="filters audit-filters" onSubmit={submit} aria-label="Audit filters" data-testid="audit-filters">
      <Field label="Search" className="audit-filter-search">
        <input {...input('q')} type="search" placeholder="Words in a resource, reason, SQL or title" maxLength={200} />
      </Field>
      <Field label="From" className="audit-filter-date">
        <input {...input('from')} type="date" max={draft.to || undefined} />
      </Field>
      <Field label="To" className="audit-filter-date">
        <input {...input('to')} type="date" min={draft.from || undefined} />
      </Field>
      <Field label="Action">
        <select {...input('action')}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map(({ action, label }) => (
            <option key={action} value={action}>
              {label} ({action})
            </option>
          ))}
          {draft.action && !AUDIT_ACTIONS.some((known) => known.action === draft.action) ? (
            <option value={draft.action}>{draft.action}</option>
          ) : null}
        </select>
      </Field>
      <Field label="Requester">
        <select {...input('user')}>
          <option value="">Anyone</option>
          {[...people.values()].map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Thread">
        <select {...input('thread')}>
          <option value="">Any thread</option>
          {sortedThreads.map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
          {draft.thread && !threads.has(draft.thread) ? <option value={draft.thread}>{draft.thread}</option> : null}
        </select>
      </Field>
      <Field label="Run">
        <input {...input('run')} placeholder="run id" />
      </Field>
      <Field label="Decision">
        <select {...input('decision')}>
          <option value="">Any</option>
          <option value="allow">Allow</option>
          <option value="deny">Deny (or shown privately)</option>
          <option value="error">Error</option>
          <option value="unknown">Unknown</option>
        </select>
      </Field>
      <div className="filters-actions">
        <button type="submit" className="button button-primary" data-testid="audit-apply">
          Apply
        </button>
        <button type="button" className="button button-ghost" onClick={() => onApply(EMPTY)} data-testid="audit-clear">
          Clear
        </button>
      </div>
    </form>
  );
}

/** One labelled control of the filter form. */
function Field({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child every caller passes
    <label className={className ? `field ${className}` : 'field'}>
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}
