import { renderTable, wrapText } from './text-table.ts';
import type {
  AuditNamingCounts,
  DesignOutcomes,
  GovernanceProgress,
  GovernanceReport,
  OutcomeExample,
} from './types.ts';

const WIDTH = 100;

/**
 * The report as terminal text for `behalf governance`: the designs side by side, then one
 * aligned table per section with totals, examples of differing outcomes and the definitions.
 */
export function formatGovernanceReport(report: GovernanceReport): string {
  const { deployment, identities, outcomes, audit } = report;
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '(none)');
  const count = (value: number) => String(value);
  const titles = new Map(outcomes.threads.map((entry) => [entry.thread.id, entry.thread.title]));
  const titleOf = (threadId: string) => titles.get(threadId) ?? threadId;
  const sections: string[] = [
    'Governance report: self-authorized vs user-authorized agent (SPEC section 9)',
    `Generated ${new Date(report.generatedAt).toISOString()} | ${deployment.users} users | ` +
      `${deployment.threads} threads | ${deployment.auditRecords} audit records | policy ${deployment.policyVersion}`,
    '',
    wrapText(report.conclusion, WIDTH, ''),

    heading('Side by side'),
    renderTable(
      [
        { header: 'Design' },
        { header: 'Identities', align: 'right' },
        { header: 'Capability lost', align: 'right' },
        { header: 'Over-privileged', align: 'right' },
        { header: 'Records without a human', align: 'right' },
      ],
      report.series.designs.map((design) => [
        design.label,
        count(design.identities),
        count(design.capabilityLost),
        count(design.overPrivileged),
        count(design.recordsWithoutHuman),
      ]),
    ),

    heading(
      `1. Agent identities to provision: ${identities.selfAuthorized} self-authorized, ` +
        `${identities.userAuthorized} user-authorized (provisioned today: ${identities.provisioned.length}` +
        `${identities.provisioned.length > 0 ? ` — ${identities.provisioned.map((identity) => `${identity.id} [${identity.groups.join(', ') || 'no groups'}] by ${identity.provisionedBy}`).join('; ')}` : ''})`,
    ),
    renderTable(
      [
        { header: 'Members' },
        { header: 'Threads' },
        { header: 'Identities', align: 'right' },
        { header: 'LCD groups' },
        { header: 'Union groups' },
        { header: 'Intents' },
      ],
      [
        ...identities.memberSets.map((set) => [
          set.key,
          set.threads.map((thread) => thread.title).join(', '),
          count(set.identities),
          list(set.lcdGroups),
          list(set.unionGroups),
          set.intents.map((intent) => intent.key).join(', '),
        ]),
        ['Total', '', count(identities.selfAuthorized), '', '', ''],
      ],
    ),

    heading(`2. Requests whose outcome would differ (${outcomes.replayed} replayed, ${outcomes.skipped} skipped)`),
    renderTable(
      [
        { header: 'Thread' },
        { header: 'Replayed', align: 'right' },
        { header: 'LCD lost', align: 'right' },
        { header: 'LCD over', align: 'right' },
        { header: 'Union lost', align: 'right' },
        { header: 'Union over', align: 'right' },
      ],
      [
        ...outcomes.threads.map((entry) => [
          entry.thread.title,
          count(entry.replayed),
          ...designCells(entry.lcd),
          ...designCells(entry.union),
        ]),
        ['Total', count(outcomes.replayed), ...designCells(outcomes.lcd), ...designCells(outcomes.union)],
      ],
    ),
    examples('LCD identity', outcomes.lcd.examples, titleOf),
    examples('Union identity', outcomes.union.examples, titleOf),

    heading(`3. Audit records that could not name a human (of ${audit.total})`),
    renderTable(
      [
        { header: 'Thread' },
        { header: 'Records', align: 'right' },
        { header: 'System', align: 'right' },
        { header: 'Self-mode claims', align: 'right' },
        { header: 'Would lose human', align: 'right' },
        { header: 'Without human now', align: 'right' },
        { header: 'Without human (self-auth.)', align: 'right' },
      ],
      [
        ...audit.threads.map((entry) => [entry.thread.title, ...namingCells(entry)]),
        ['Outside any thread', ...namingCells(audit.outsideThreads)],
        ['All records', ...namingCells(audit)],
      ],
    ),
    `Agent records by mode: user ${audit.agentByMode.user}, self ${audit.agentByMode.self}, ` +
      `direct ${audit.agentByMode.direct}`,

    heading('Definitions'),
    Object.entries(report.definitions)
      .map(([name, text]) => `${name}:\n${wrapText(text, WIDTH, '  ')}`)
      .join('\n'),
  ];
  return `${sections.join('\n')}\n`;
}

/** One progress line for a terminal: `replaying audit log: 500/1200 records`. */
export function formatGovernanceProgress(progress: GovernanceProgress): string {
  const phase = progress.phase === 'scan' ? 'scanning audit log' : 'replaying audit log';
  return `${phase}: ${progress.done}/${progress.total} records`;
}

function heading(title: string): string {
  return `\n${title}\n`;
}

function designCells(outcomes: DesignOutcomes): string[] {
  return [String(outcomes.capabilityLost), String(outcomes.overPrivileged)];
}

function namingCells(counts: AuditNamingCounts): string[] {
  return [
    counts.total,
    counts.system,
    counts.selfModeClaims,
    counts.wouldLoseHuman,
    counts.withoutHumanToday,
    counts.withoutHumanSelfAuthorized,
  ].map(String);
}

function examples(design: string, items: readonly OutcomeExample[], titleOf: (threadId: string) => string): string {
  if (items.length === 0) return `\n${design}: no differing outcome.`;
  const rows = items.map((item) => [
    item.kind,
    `#${item.seq}`,
    titleOf(item.threadId),
    item.requester,
    item.action,
    item.resource,
    item.subjects.join(', '),
  ]);
  return `\n${design}, examples:\n${renderTable(
    [
      { header: 'Kind' },
      { header: 'Seq', align: 'right' },
      { header: 'Thread' },
      { header: 'Requester' },
      { header: 'Action' },
      { header: 'Resource' },
      { header: 'What differs' },
    ],
    rows,
  )}`;
}
