import { Fragment, type ReactNode, useState } from 'react';
import type { AuditRecordWire } from '../../protocol/wire.ts';
import type { AuditFilters } from '../api.ts';
import { useApp } from '../app-context.ts';
import { fullTime, nameOf, shortHash, stampTime } from '../format.ts';
import { threadPath } from '../router.ts';
import { AuditOutcomeBadge } from './audit-outcome.tsx';
import { Chips } from './chips.tsx';
import { Link } from './link.tsx';

/** Thread titles the page may show, and the threads the reader belongs to (which they can open). */
export interface AuditThreadNames {
  titles: ReadonlyMap<string, string>;
  memberOf: ReadonlySet<string>;
}

interface AuditTableProps {
  records: AuditRecordWire[] | null;
  threads: AuditThreadNames;
}

const COLUMNS = 9;

/**
 * The audit records, newest first. Threads show by title and runs by a short id, each a link to
 * the records of that thread or run; a SQL query shows its statement (or that only its hash was
 * kept); each row expands to its reason, labels and hashes.
 */
export function AuditTable({ records, threads }: AuditTableProps) {
  const { people } = useApp();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  if (records === null)
    return (
      <p className="muted" aria-busy="true">
        Loading records…
      </p>
    );
  if (records.length === 0) return <p className="muted empty-table">No records match these filters.</p>;
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="table-card">
      <p className="table-caption muted small" data-testid="audit-count">
        {records.length} {records.length === 1 ? 'record' : 'records'}
      </p>
      <div className="table-scroll">
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Details</span>
              </th>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Requester · mode</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Thread · run</th>
              <th scope="col">Decision</th>
              <th scope="col">Policies</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <Fragment key={record.id}>
                <tr
                  data-testid="audit-row"
                  data-seq={record.seq}
                  data-decision={record.decision}
                  data-action={record.action}
                >
                  <td>
                    <button
                      type="button"
                      className="icon-button"
                      aria-expanded={expanded.has(record.id)}
                      aria-label={`Details of record ${record.seq}`}
                      onClick={() => toggle(record.id)}
                    >
                      {expanded.has(record.id) ? '▾' : '▸'}
                    </button>
                  </td>
                  <td className="num muted">{record.seq}</td>
                  <td className="nowrap" title={fullTime(record.at)}>
                    {stampTime(record.at)}
                  </td>
                  <td className="nowrap">
                    {record.requester ? nameOf(people, record.requester) : <span className="muted">no human</span>}{' '}
                    <span className={`badge badge-mode-${record.mode}`} title={`Mode: ${record.mode}`}>
                      {record.mode}
                    </span>
                  </td>
                  <td>
                    <code>{record.action}</code>
                  </td>
                  <td className="resource-cell">
                    <span title={record.resource}>{record.resource}</span>
                    <StatementLine record={record} />
                  </td>
                  <td>
                    <div className="audit-where">
                      <ThreadLink record={record} threads={threads} />
                      <RunLink record={record} />
                    </div>
                  </td>
                  <td>
                    <AuditOutcomeBadge record={record} />
                  </td>
                  <td className="policies-cell">
                    {record.policies.map((policy) => (
                      <code key={policy} className="policy-id">
                        {policy}
                      </code>
                    ))}
                  </td>
                </tr>
                {expanded.has(record.id) ? (
                  <tr className="audit-details">
                    <td className="audit-details-cell" />
                    <td className="audit-details-cell" colSpan={COLUMNS - 1}>
                      <AuditDetails record={record} threads={threads} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A record's thread by title, linking to every record of that thread. */
function ThreadLink({ record, threads }: { record: AuditRecordWire; threads: AuditThreadNames }) {
  if (!record.threadId) return <span className="muted small">no thread</span>;
  const title = threads.titles.get(record.threadId);
  return (
    <Link
      to={auditPathOf({ thread: record.threadId })}
      className="audit-thread-link"
      title={`Records of ${title ? `“${title}”` : record.threadId}`}
      testId="audit-thread-link"
    >
      {title ?? <span className="muted">{record.threadId}</span>}
    </Link>
  );
}

/** A record's run by a short id, linking to every record of that run. */
function RunLink({ record }: { record: AuditRecordWire }) {
  if (!record.runId) return null;
  return (
    <Link
      to={auditPathOf({ run: record.runId })}
      className="audit-run-link"
      title={`Every record of run ${record.runId}`}
      testId="audit-run-link"
    >
      run {shortId(record.runId)}
    </Link>
  );
}

/** Under a SQL query's resource: its statement, or that only the statement's hash was kept. */
function StatementLine({ record }: { record: AuditRecordWire }) {
  if (record.statement) {
    return (
      <code className="audit-statement-inline" title={record.statement} data-testid="audit-statement">
        {record.statement}
      </code>
    );
  }
  if (record.statementHash) {
    return (
      <span className="audit-statement-inline muted" data-testid="audit-statement-hash">
        statement kept as hash {shortHash(record.statementHash, 12)}
      </span>
    );
  }
  return null;
}

function AuditDetails({ record, threads }: { record: AuditRecordWire; threads: AuditThreadNames }) {
  const threadTitle = record.threadId ? threads.titles.get(record.threadId) : undefined;
  return (
    <dl className="details-grid">
      {record.reason ? <Detail term="Reason">{record.reason}</Detail> : null}
      <Detail term="Agent">{record.agent ?? 'none (a person acted directly)'}</Detail>
      {record.threadId ? (
        <Detail term="Thread">
          {threadTitle ?? record.threadId}{' '}
          {threads.memberOf.has(record.threadId) ? (
            <Link to={threadPath(record.threadId)} testId="audit-open-thread">
              open thread
            </Link>
          ) : null}
        </Detail>
      ) : null}
      {record.runId ? <Detail term="Run">{record.runId}</Detail> : null}
      {record.labels && record.labels.length > 0 ? (
        <Detail term="Labels">
          <Chips items={record.labels} kind="label" />
        </Detail>
      ) : null}
      {record.statement ? (
        <Detail term="SQL statement (literals replaced by ?)" wide>
          <pre className="audit-statement">{record.statement}</pre>
        </Detail>
      ) : record.statementHash ? (
        <Detail term="SQL statement" wide>
          Not kept: policy records only its hash for data with these labels.
        </Detail>
      ) : null}
      {record.statementHash ? (
        <Detail term="Statement hash (SHA-256)">{shortHash(record.statementHash, 24)}</Detail>
      ) : null}
      {record.argsHash ? <Detail term="Arguments hash">{shortHash(record.argsHash, 24)}</Detail> : null}
      {record.resultHash ? <Detail term="Result hash">{shortHash(record.resultHash, 24)}</Detail> : null}
      <Detail term="Record hash">{shortHash(record.hash, 24)}</Detail>
      <Detail term="Previous hash">{shortHash(record.prevHash, 24)}</Detail>
    </dl>
  );
}

function Detail({ term, children, wide }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'details-wide' : undefined}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Every filter the audit page keeps in its URL, so a filtered view can be linked and reloaded. */
export const AUDIT_FILTER_KEYS = ['q', 'from', 'to', 'action', 'user', 'thread', 'run', 'decision'] as const;

/** The audit page path for these filters (`/audit?thread=…&run=…`), empty ones left out. */
export function auditPathOf(filters: AuditFilters): string {
  const query = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) if (filters[key]) query.set(key, filters[key] ?? '');
  return `/audit${query.toString() ? `?${query}` : ''}`;
}

/** `run_8f3a2c91d0e4` → `8f3a2c91`: enough to tell runs apart on one page. */
function shortId(id: string): string {
  const bare = id.replace(/^[a-z]+_/, '');
  return bare.length > 10 ? bare.slice(0, 8) : bare;
}
