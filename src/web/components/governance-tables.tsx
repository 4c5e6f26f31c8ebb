import type {
  AuditNamingCounts,
  GovernanceReport,
  GovernanceThreadRef,
  IdentityMemberSet,
  OutcomeExample,
  ThreadOutcomes,
} from '../../governance/types.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Chips } from './chips.tsx';
import { type Column, DataTable } from './data-table.tsx';

type NamingRow = { thread: GovernanceThreadRef } & AuditNamingCounts;

/** The tables behind the plot: identities per member set, outcomes per thread with examples, audit naming. */
export function GovernanceTables({ report }: { report: GovernanceReport }) {
  const { people } = useApp();
  const names = (ids: string[]) => ids.map((id) => nameOf(people, id)).join(', ');

  const identityColumns: Column<IdentityMemberSet>[] = [
    { header: 'Members', cell: (set) => names(set.members) },
    { header: 'Threads', cell: (set) => set.threads.map((thread) => thread.title).join(', ') },
    { header: 'Intents', cell: (set) => <Chips items={set.intents.map((intent) => intent.key)} kind="group" /> },
    { header: 'Identities', cell: (set) => set.identities, numeric: true },
    { header: 'LCD groups', cell: (set) => groupsOrNone(set.lcdGroups) },
    { header: 'Union-only groups', cell: (set) => groupsOrNone(set.unionOnlyGroups) },
  ];
  const outcomeColumns: Column<ThreadOutcomes>[] = [
    { header: 'Thread', cell: (row) => row.thread.title },
    { header: 'Mode', cell: (row) => (row.thread.id === 'all' ? '' : row.thread.mode) },
    { header: 'Replayed', cell: (row) => row.replayed, numeric: true },
    { header: 'LCD: capability lost', cell: (row) => row.lcd.capabilityLost, numeric: true },
    { header: 'LCD: over-privileged', cell: (row) => row.lcd.overPrivileged, numeric: true },
    { header: 'Union: capability lost', cell: (row) => row.union.capabilityLost, numeric: true },
    { header: 'Union: over-privileged', cell: (row) => row.union.overPrivileged, numeric: true },
  ];
  const exampleColumns: Column<OutcomeExample & { design: string }>[] = [
    { header: 'Design', cell: (row) => row.design },
    {
      header: 'Difference',
      cell: (row) => (
        <span className={`badge ${row.kind === 'capability-lost' ? 'badge-warn' : 'badge-danger'}`}>
          {row.kind === 'capability-lost' ? 'capability lost' : 'over-privileged'}
        </span>
      ),
    },
    { header: 'Record', cell: (row) => `#${row.seq}`, numeric: true },
    { header: 'Requester', cell: (row) => nameOf(people, row.requester) },
    { header: 'Action', cell: (row) => <code>{row.action}</code> },
    { header: 'Resource', cell: (row) => row.resource },
    { header: 'What differs', cell: (row) => <Chips items={row.subjects} kind="label" /> },
  ];
  const namingColumns: Column<NamingRow>[] = [
    { header: 'Thread', cell: (row) => row.thread.title },
    { header: 'Records', cell: (row) => row.total, numeric: true },
    { header: 'System', cell: (row) => row.system, numeric: true },
    { header: 'Self-mode claims', cell: (row) => row.selfModeClaims, numeric: true },
    { header: 'Would lose the human', cell: (row) => row.wouldLoseHuman, numeric: true },
    { header: 'No human today', cell: (row) => row.withoutHumanToday, numeric: true },
    { header: 'No human if self-authorized', cell: (row) => row.withoutHumanSelfAuthorized, numeric: true },
  ];
  // Rows that make each table add up to the summary's figures: the totals, and the records no
  // listed thread holds (system actions, threads deleted since).
  const pseudoThread = (id: string, title: string): GovernanceThreadRef => ({
    id,
    title,
    mode: 'user',
    agentId: null,
    members: [],
  });
  const { audit } = report;
  const namingRows: NamingRow[] = [
    ...audit.threads,
    { thread: pseudoThread('outside', 'Outside any thread'), ...audit.outsideThreads },
    { thread: pseudoThread('all', 'All records'), ...audit },
  ];
  const outcomeRows: ThreadOutcomes[] = [
    ...report.outcomes.threads,
    {
      thread: pseudoThread('all', 'All threads'),
      lcdGroups: [],
      unionGroups: [],
      replayed: report.outcomes.replayed,
      lcd: report.outcomes.lcd,
      union: report.outcomes.union,
    },
  ];
  const examples = [
    ...report.outcomes.lcd.examples.map((example) => ({ ...example, design: 'LCD identity' })),
    ...report.outcomes.union.examples.map((example) => ({ ...example, design: 'Union identity' })),
  ];

  return (
    <>
      <DataTable
        caption="1 · Agent identities a self-authorized design would provision"
        columns={identityColumns}
        rows={report.identities.memberSets}
        rowKey={(set) => set.key}
        testId="governance-identities"
      />
      <DataTable
        caption="2 · Requests whose outcome would differ, per thread"
        columns={outcomeColumns}
        rows={outcomeRows}
        rowKey={(row) => `outcomes-${row.thread.id}`}
        testId="governance-outcomes"
      />
      <DataTable
        caption="Examples of differing outcomes"
        columns={exampleColumns}
        rows={examples}
        rowKey={(row) => `${row.design}-${row.seq}-${row.kind}`}
        empty="No replayed request would have a different outcome."
        testId="governance-examples"
      />
      <DataTable
        caption="3 · Audit records that could not name a human, per thread"
        columns={namingColumns}
        rows={namingRows}
        rowKey={(row) => `naming-${row.thread.id}`}
        testId="governance-audit-naming"
      />
    </>
  );
}

function groupsOrNone(groups: string[]) {
  return groups.length > 0 ? <Chips items={groups} kind="group" /> : <span className="muted">none</span>;
}
