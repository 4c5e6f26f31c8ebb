import { type FormEvent, useEffect, useState } from 'react';
import type { ThreadWire } from '../../protocol/wire.ts';
import type { AuditFilters as Filters } from '../api.ts';
import { useApp } from '../app-context.ts';

interface AuditFiltersProps {
  value: Filters;
  threads: ThreadWire[];
  onApply: (filters: Filters) => void;
}

/** Filter form of the audit page: requester, thread, run and decision. */
export function AuditFilters({ value, threads, onApply }: AuditFiltersProps) {
  const { people } = useApp();
  const [draft, setDraft] = useState<Filters>(value);
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, run: draft.run?.trim() ?? '' });
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Audit filters" data-testid="audit-filters">
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
          {threads.map((thread) => (
            <option key={thread.id} value={thread.id}>
              {thread.title}
            </option>
          ))}
          {draft.thread && !threads.some((thread) => thread.id === draft.thread) ? (
            <option value={draft.thread}>{draft.thread}</option>
          ) : null}
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
          <option value="deny">Deny</option>
          <option value="error">Error</option>
          <option value="unknown">Unknown</option>
        </select>
      </label>
      <div className="filters-actions">
        <button type="submit" className="button button-primary" data-testid="audit-apply">
          Apply
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => onApply({ user: '', thread: '', run: '', decision: '' })}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
