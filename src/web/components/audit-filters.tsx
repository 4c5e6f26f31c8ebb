import { type FormEvent, useEffect, useState } from 'react';
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

  return (
    <form className="filters audit-filters" onSubmit={submit} aria-label="Audit filters" data-testid="audit-filters">
      <label className="field audit-filter-search">
        <span className="field-label">Search</span>
        <input
          className="input"
          type="search"
          value={draft.q ?? ''}
          onChange={set('q')}
          placeholder="Words in a resource, reason, SQL or title"
          maxLength={200}
          data-testid="audit-filter-q"
        />
      </label>
      <label className="field audit-filter-date">
        <span className="field-label">From</span>
        <input
          className="input"
          type="date"
          value={draft.from ?? ''}
          max={draft.to || undefined}
          onChange={set('from')}
          data-testid="audit-filter-from"
        />
      </label>
      <label className="field audit-filter-date">
        <span className="field-label">To</span>
        <input
          className="input"
          type="date"
          value={draft.to ?? ''}
          min={draft.from || undefined}
          onChange={set('to')}
          data-testid="audit-filter-to"
        />
      </label>
      <label className="field">
        <span className="field-label">Action</span>
        <select className="input" value={draft.action ?? ''} onChange={set('action')} data-testid="audit-filter-action">
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
      </label>
      <label className="field">
        <span className="field-label">Requester</span>
        <select className="input" value={draft.user ?? ''} onChange={set('user')} data-testid="audit-filter-user">
          <option value="">Anyone</option>
          {[...people.values()].map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Thread</span>
        <select className="input" value={draft.thread ?? ''} onChange={set('thread')} data-testid="audit-filter-thread">
          <option value="">Any thread</option>
          {sortedThreads.map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
          {draft.thread && !threads.has(draft.thread) ? <option value={draft.thread}>{draft.thread}</option> : null}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Run</span>
        <input
          className="input"
          value={draft.run ?? ''}
          onChange={set('run')}
          placeholder="run id"
          data-testid="audit-filter-run"
        />
      </label>
      <label className="field">
        <span className="field-label">Decision</span>
        <select
          className="input"
          value={draft.decision ?? ''}
          onChange={set('decision')}
          data-testid="audit-filter-decision"
        >
          <option value="">Any</option>
          <option value="allow">Allow</option>
          <option value="deny">Deny (or shown privately)</option>
          <option value="error">Error</option>
          <option value="unknown">Unknown</option>
        </select>
      </label>
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
