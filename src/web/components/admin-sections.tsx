import type { ReactNode } from 'react';
import type {
  AdminAgentWire,
  AdminFindingWire,
  AdminLabelWire,
  AdminPolicyWire,
  AdminSourceWire,
} from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { fullTime, nameOf } from '../format.ts';
import { type Column, DataTable } from './data-table.tsx';

/** One titled section of the administrator's page; `id` is its anchor. */
export function AdminSection({
  id,
  title,
  note,
  children,
}: {
  id: string;
  title: string;
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="admin-section" id={id} aria-labelledby={`${id}-title`} data-testid={id}>
      <header className="admin-section-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {note ? <p className="muted small">{note}</p> : null}
      </header>
      {children}
    </section>
  );
}

/** Labels exactly as written (none hidden: an administrator reads the configuration itself). */
export function LabelChips({ labels }: { labels: readonly string[] }) {
  if (labels.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {labels.map((label) => (
        <span key={label} className="chip chip-label">
          {label}
        </span>
      ))}
    </span>
  );
}

/** Groups, `user:<id>` and `everyone` entries of the catalogue's shorthands. */
function AudienceChips({ entries }: { entries: readonly string[] }) {
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {entries.map((entry) => (
        <span key={entry} className="chip chip-group">
          {entry}
        </span>
      ))}
    </span>
  );
}

/** People by name; "everyone" when the list is all of them, "nobody" when empty. */
function PeopleNames({ ids, testId }: { ids: readonly string[]; testId: string }) {
  const { people } = useApp();
  const everyone = people.size > 0 && ids.length === people.size;
  return (
    <span className="admin-names" data-testid={testId} data-people={ids.join(' ')}>
      {ids.length === 0 ? (
        <span className="muted">nobody</span>
      ) : everyone ? (
        `Everyone (${ids.length})`
      ) : (
        ids.map((id) => nameOf(people, id)).join(', ')
      )}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------

export function AdminFindings({ id, findings }: { id: string; findings: readonly AdminFindingWire[] }) {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <AdminSection
      id={id}
      title="Doctor’s findings"
      note={
        findings.length === 0 ? (
          <>
            What <code>behalf doctor</code> checks: the file, labels, policies, sources, people, documents and tools.
          </>
        ) : (
          <>
            {count(errors, 'error')}, {count(warnings, 'warning')}: what <code>behalf doctor</code> prints, each with
            its fix.
          </>
        )
      }
    >
      {findings.length === 0 ? (
        <p className="card muted" data-testid="admin-findings-empty">
          Doctor found nothing to fix.
        </p>
      ) : (
        <ul className="admin-findings">
          {findings.map((finding, index) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: findings have no id; their order is stable per load
              key={index}
              className={`card admin-finding admin-finding-${finding.severity}`}
              data-testid="admin-finding"
              data-severity={finding.severity}
            >
              <div className="admin-finding-head">
                <span className={`badge ${finding.severity === 'error' ? 'badge-danger' : 'badge-warn'}`}>
                  {finding.severity}
                </span>
                <span className="chip">{finding.area}</span>
              </div>
              <p className="admin-finding-message">{finding.message}</p>
              <p className="admin-finding-fix">
                <span className="admin-finding-fix-label">Fix: </span>
                {finding.fix}
              </p>
            </li>
          ))}
        </ul>
      )}
    </AdminSection>
  );
}

// ---------------------------------------------------------------------------------------------

interface LabelRow {
  label: AdminLabelWire;
  /** The concrete label decided, or null when a parameterized label has no example to decide. */
  concrete: string | null;
  cleared: string[];
  stewards: string[];
}

export function AdminLabelCatalogue({ id, labels }: { id: string; labels: readonly AdminLabelWire[] }) {
  const rows = labels.flatMap((label): LabelRow[] =>
    label.clearance.length === 0
      ? [{ label, concrete: null, cleared: [], stewards: [] }]
      : label.clearance.map((entry) => ({
          label,
          concrete: entry.label,
          cleared: entry.cleared,
          stewards: entry.stewards,
        })),
  );
  return (
    <AdminSection
      id={id}
      title="Label catalogue"
      note="“Cleared” and “May declassify” are the policies’ own decisions (readLabel, declassifyLabel) for each person, not the shorthands alone."
    >
      <div className="table-card">
        <div className="table-scroll">
          <table className="data-table admin-labels-table">
            <caption className="sr-only">Labels, who is cleared for each and who may declassify it</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Readers (catalogue)</th>
                <th scope="col">Cleared</th>
                <th scope="col">Stewards (catalogue)</th>
                <th scope="col">May declassify</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    The catalogue is empty: every table is unclassified, and nobody is cleared for it.
                  </td>
                </tr>
              ) : (
                rows.map((row) => (
                  <tr
                    key={`${row.label.id}|${row.concrete ?? ''}`}
                    data-testid="admin-label-row"
                    data-label={row.concrete ?? row.label.id}
                  >
                    <th scope="row" className="admin-label-cell">
                      <span className="chip chip-label">{row.concrete ?? row.label.id}</span>
                      {row.concrete !== null && row.concrete !== row.label.id ? (
                        <span className="muted small"> of {row.label.id}</span>
                      ) : null}
                      {row.label.description ? (
                        <span className="admin-label-description">{row.label.description}</span>
                      ) : null}
                    </th>
                    <td>
                      <AudienceChips entries={row.label.readers} />
                    </td>
                    <td>
                      {row.concrete === null ? (
                        <span className="muted">
                          Depends on each row’s {row.label.parameters.join(', ')}: ask about one value below.
                        </span>
                      ) : (
                        <PeopleNames ids={row.cleared} testId="admin-label-cleared" />
                      )}
                    </td>
                    <td>
                      <AudienceChips entries={row.label.stewards} />
                    </td>
                    <td>
                      {row.concrete === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <PeopleNames ids={row.stewards} testId="admin-label-stewards" />
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </AdminSection>
  );
}

// ---------------------------------------------------------------------------------------------

export function AdminSources({ id, sources }: { id: string; sources: readonly AdminSourceWire[] }) {
  return (
    <AdminSection
      id={id}
      title="Sources"
      note="A table with no labels is unclassified: nobody is cleared for what it returns."
    >
      {sources.length === 0 ? <p className="card muted">This workspace has no SQL source.</p> : null}
      {sources.map((source) => (
        <div key={source.name} className="table-card" data-testid="admin-source" data-source={source.name}>
          <div className="admin-source-header">
            <h3>{source.name}</h3>
            <span className="muted small">
              tool <code>{source.tool}</code> · reached as <code>{source.identity.role}</code> (
              {source.identity.convention})
            </span>
            {source.description ? <p className="muted small">{source.description}</p> : null}
          </div>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="sr-only">Tables of {source.name} and their labels</caption>
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Labels of every row</th>
                  <th scope="col">Labels of columns</th>
                </tr>
              </thead>
              <tbody>
                {source.tables.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      No table is listed: everything this source returns is unclassified.
                    </td>
                  </tr>
                ) : (
                  source.tables.map((table) => (
                    <tr key={table.name} data-testid="admin-source-table" data-table={table.name}>
                      <th scope="row">
                        <code>{table.name}</code>
                        {table.description ? (
                          <span className="admin-label-description">{table.description}</span>
                        ) : null}
                      </th>
                      <td>
                        <LabelChips labels={table.labels} />
                      </td>
                      <td>
                        {Object.keys(table.columns).length === 0 ? (
                          <span className="muted">none</span>
                        ) : (
                          <ul className="admin-plain-list">
                            {Object.entries(table.columns).map(([column, labels]) => (
                              <li key={column}>
                                <code>{column}</code> <LabelChips labels={labels} />
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </AdminSection>
  );
}

// ---------------------------------------------------------------------------------------------

export function AdminAgents({ id, agents }: { id: string; agents: AdminAgentWire[] }) {
  const { people } = useApp();
  const columns: Column<AdminAgentWire>[] = [
    { header: 'Identity', cell: (agent) => <code>{agent.id}</code> },
    { header: 'Name', cell: (agent) => agent.name },
    { header: 'Holds the rights of', cell: (agent) => <AudienceChips entries={agent.groups} /> },
    { header: 'Assignable by', cell: (agent) => <AudienceChips entries={agent.assigners} /> },
    { header: 'Provisioned by', cell: (agent) => nameOf(people, agent.provisionedBy) },
    { header: 'Since', cell: (agent) => <span className="nowrap">{fullTime(agent.createdAt)}</span> },
  ];
  return (
    <AdminSection
      id={id}
      title="Agent identities"
      note="The agent acts as one of these only in a self-authorized thread; otherwise always as the person who asked."
    >
      <DataTable
        caption="Provisioned agent identities"
        columns={columns}
        rows={agents}
        rowKey={(agent) => agent.id}
        empty="No agent identity is provisioned."
        testId="admin-agents-table"
      />
    </AdminSection>
  );
}

// ---------------------------------------------------------------------------------------------

export function AdminPolicies({
  id,
  policies,
  open,
  onToggle,
  refs,
}: {
  id: string;
  policies: readonly AdminPolicyWire[];
  open: ReadonlySet<string>;
  onToggle: (name: string, open: boolean) => void;
  refs: Map<string, HTMLElement>;
}) {
  return (
    <AdminSection
      id={id}
      title="Policies"
      note={
        <>
          {policies.length} in force, read-only: the workspace’s policies folder and what its label catalogue and{' '}
          <code>admins</code> compile to. <code>behalf policy validate</code> checks them.
        </>
      }
    >
      <div className="admin-policies">
        {policies.map((policy) => (
          <details
            key={policy.name}
            className="card admin-policy"
            data-testid="admin-policy"
            data-policy={policy.name}
            open={open.has(policy.name)}
            onToggle={(event) => onToggle(policy.name, event.currentTarget.open)}
            ref={(element) => {
              if (element) refs.set(policy.name, element);
              else refs.delete(policy.name);
            }}
          >
            <summary>{policy.name}</summary>
            {/* Scrolls sideways inside its card on narrow screens; focusable so the keyboard can scroll it. */}
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
            <section className="admin-policy-text" tabIndex={0} aria-label={`Cedar text of ${policy.name}`}>
              <pre>
                <code>{policy.text}</code>
              </pre>
            </section>
          </details>
        ))}
      </div>
    </AdminSection>
  );
}
