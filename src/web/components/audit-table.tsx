import { Fragment, type ReactNode, useState } from 'react';
import type { AuditRecordWire, ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { fullTime, nameOf, shortHash, stampTime } from '../format.ts';
import { Chips } from './chips.tsx';

/** The audit records, newest first; each row expands to its reason, labels and hashes. */
export function AuditTable({ records, threads }: { records: AuditRecordWire[] | null; threads: ThreadWire[] }) {
  const { people } = useApp();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  if (records === null)
    return (
      <p className="muted" aria-busy="true">
        Loading records…
      </p>
    );
  if (records.length === 0) return <p className="muted empty-table">No records match these filters.</p>;
  const threadTitle = new Map(threads.map((thread) => [thread.id, thread.title]));
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
              <th scope="col">Requester</th>
              <th scope="col">Agent</th>
              <th scope="col">Mode</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
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
                    {record.requester ? nameOf(people, record.requester) : <span className="muted">no human</span>}
                  </td>
                  <td className="nowrap">{record.agent ?? <span className="muted">—</span>}</td>
                  <td>
                    <span className={`badge badge-mode-${record.mode}`}>{record.mode}</span>
                  </td>
                  <td>
                    <code>{record.action}</code>
                  </td>
                  <td className="resource-cell" title={record.resource}>
                    {record.resource}
                  </td>
                  <td>
                    <span className={`badge badge-decision-${record.decision}`}>{record.decision}</span>
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
                    <td className="audit-details-cell" colSpan={9}>
                      <dl className="details-grid">
                        {record.reason ? <Detail term="Reason">{record.reason}</Detail> : null}
                        {record.threadId ? (
                          <Detail term="Thread">{threadTitle.get(record.threadId) ?? record.threadId}</Detail>
                        ) : null}
                        {record.runId ? <Detail term="Run">{record.runId}</Detail> : null}
                        {record.labels && record.labels.length > 0 ? (
                          <Detail term="Labels">
                            <Chips items={record.labels} kind="label" />
                          </Detail>
                        ) : null}
                        {record.argsHash ? (
                          <Detail term="Arguments hash">{shortHash(record.argsHash, 24)}</Detail>
                        ) : null}
                        {record.resultHash ? (
                          <Detail term="Result hash">{shortHash(record.resultHash, 24)}</Detail>
                        ) : null}
                        <Detail term="Record hash">{shortHash(record.hash, 24)}</Detail>
                        <Detail term="Previous hash">{shortHash(record.prevHash, 24)}</Detail>
                      </dl>
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

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
