import type { GovernanceMetric, GovernanceReport } from '../../governance/types.ts';
import { BarChart, type BarSeries } from './bar-chart.tsx';

const DESIGN_COLORS: Record<string, string> = {
  'user-authorized': 'var(--chart-1)',
  'self-authorized-lcd': 'var(--chart-2)',
  'self-authorized-union': 'var(--chart-3)',
};

/** Per-thread metrics grouped by unit: one chart each, so no axis mixes identities, requests and records. */
const THREAD_CHARTS: ReadonlyArray<{ title: string; unit: string; metrics: GovernanceMetric[]; colors: string[] }> = [
  {
    title: 'Requests whose outcome would differ, per thread',
    unit: 'requests',
    metrics: ['capabilityLost', 'overPrivileged'],
    colors: ['var(--chart-2)', 'var(--chart-3)'],
  },
  {
    title: 'Audit records without a human, per thread',
    unit: 'audit records',
    metrics: ['recordsWithoutHumanSelfAuthorized', 'recordsWithoutHumanToday'],
    colors: ['var(--chart-3)', 'var(--chart-1)'],
  },
  {
    title: 'Agent identities a thread alone would need',
    unit: 'agent identities',
    metrics: ['identities'],
    colors: ['var(--chart-4)'],
  },
];

/**
 * The designs side by side as small multiples — identities, requests and audit records each on
 * their own axis — then the same measures per thread, again one unit per chart. Every value is
 * a figure of the report's summary or of a table row.
 */
export function GovernanceCharts({ report }: { report: GovernanceReport }) {
  const { designs, categories, metrics } = report.series;
  const designSeries = (values: (design: (typeof designs)[number]) => number[]): BarSeries[] =>
    designs.map((design) => ({
      label: design.label,
      color: DESIGN_COLORS[design.design] ?? 'var(--chart-4)',
      values: values(design),
    }));
  const designCharts: ReadonlyArray<{
    title: string;
    unit: string;
    groups: string[];
    series: BarSeries[];
    description?: string;
  }> = [
    {
      title: 'Agent identities to provision',
      unit: 'agent identities',
      groups: ['Identities to provision'],
      series: designSeries((design) => [design.identities]),
    },
    {
      title: 'Requests whose outcome would differ',
      unit: 'requests',
      groups: ['Capability lost', 'Over-privileged'],
      series: designSeries((design) => [design.capabilityLost, design.overPrivileged]),
      description: `Out of ${report.outcomes.replayed} replayed requests.`,
    },
    {
      title: 'Audit records that cannot name a human',
      unit: 'audit records',
      groups: ['Without a human'],
      series: designSeries((design) => [design.recordsWithoutHuman]),
      description: `Out of ${report.audit.total} audit records.`,
    },
  ];
  return (
    <>
      <section className="card" aria-label="The three designs side by side">
        <h2 className="card-title">The three designs side by side</h2>
        <div className="chart-grid-small" data-testid="governance-plot">
          {designCharts.map((chart) => (
            <BarChart key={chart.unit} {...chart} width={420} height={260} />
          ))}
        </div>
      </section>
      {categories.length > 0 ? (
        <section className="card" aria-label="Per thread">
          <h2 className="card-title">Per thread</h2>
          <div className="chart-grid-small" data-testid="governance-thread-plot">
            {THREAD_CHARTS.map((chart) => (
              <BarChart
                key={chart.unit}
                title={chart.title}
                unit={chart.unit}
                groups={categories}
                series={chart.metrics.map((key, index) => {
                  const metric = metrics.find((each) => each.key === key);
                  return {
                    label: metric?.label ?? key,
                    color: chart.colors[index] ?? 'var(--chart-4)',
                    values: metric?.values ?? [],
                  };
                })}
                width={420}
                height={280}
              />
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}
