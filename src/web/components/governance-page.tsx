import { useCallback, useEffect, useState } from 'react';
import type { GovernanceReport } from '../../governance/types.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { fullTime } from '../format.ts';
import { BarChart } from './bar-chart.tsx';
import { GovernanceSummary } from './governance-summary.tsx';
import { GovernanceTables } from './governance-tables.tsx';

const DESIGN_COLORS: Record<string, string> = {
  'user-authorized': 'var(--chart-1)',
  'self-authorized-lcd': 'var(--chart-2)',
  'self-authorized-union': 'var(--chart-3)',
};
const METRIC_COLORS = ['var(--chart-2)', 'var(--chart-4)', 'var(--chart-3)', 'var(--chart-5)', 'var(--chart-1)'];

/**
 * SPEC §9: user-authorized Behalf against a self-authorized ("agent identity") design on this
 * deployment's own users, threads and audit log — the plot first, then the tables behind it.
 */
export function GovernancePage() {
  const { api, notify } = useApp();
  const [report, setReport] = useState<GovernanceReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [forbidden, setForbidden] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    api
      .governance()
      .then(setReport, (error: unknown) => {
        // The report reads every thread and the whole audit log: the server gives it to auditors only.
        if (error instanceof ApiError && error.status === 403) setForbidden(true);
        else notify(error);
      })
      .finally(() => setLoading(false));
  }, [api, notify]);
  useEffect(load, [load]);

  return (
    <main className="page" data-testid="governance-page">
      <header className="page-header">
        <div>
          <h1>Governance: who is the agent?</h1>
          <p className="muted">
            What a self-authorized agent (its own identity per group of people) would need and change, compared with
            Behalf’s user-authorized agent, replayed on this deployment’s audit log.
          </p>
        </div>
        <div className="page-header-actions">
          {report ? <span className="muted small">Generated {fullTime(report.generatedAt)}</span> : null}
          <button type="button" className="button" onClick={load} disabled={loading} data-testid="governance-refresh">
            {loading ? 'Computing…' : 'Recompute'}
          </button>
        </div>
      </header>
      {report === null ? (
        <p className="muted" aria-busy={loading}>
          {loading
            ? 'Computing the report…'
            : forbidden
              ? 'The governance report is for auditors: it is computed from every thread and the whole audit log.'
              : 'The report is not available.'}
        </p>
      ) : (
        <>
          <GovernanceSummary report={report} />
          <section className="card">
            <BarChart
              title="The three designs side by side"
              testId="governance-plot"
              groups={[
                'Agent identities to provision',
                'Requests losing capability',
                'Over-privileged requests',
                'Audit records without a human',
              ]}
              series={report.series.designs.map((design) => ({
                label: design.label,
                color: DESIGN_COLORS[design.design] ?? 'var(--chart-4)',
                values: [design.identities, design.capabilityLost, design.overPrivileged, design.recordsWithoutHuman],
              }))}
              description="Bars per design: identities to provision, requests whose outcome would differ, and audit records that cannot name a human."
            />
          </section>
          {report.series.categories.length > 0 ? (
            <section className="card">
              <BarChart
                title="Per thread"
                testId="governance-thread-plot"
                groups={report.series.categories}
                series={report.series.metrics.map((metric, index) => ({
                  label: metric.label,
                  color: METRIC_COLORS[index % METRIC_COLORS.length] ?? 'var(--chart-4)',
                  values: metric.values,
                }))}
              />
            </section>
          ) : null}
          <GovernanceTables report={report} />
          <details className="card definitions">
            <summary>How these numbers are defined</summary>
            <dl>
              {Object.entries(report.definitions).map(([term, text]) => (
                <div key={term}>
                  <dt>{term}</dt>
                  <dd>{text}</dd>
                </div>
              ))}
            </dl>
          </details>
        </>
      )}
    </main>
  );
}
