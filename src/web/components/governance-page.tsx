import { useCallback, useEffect, useState } from 'react';
import type { GovernanceReport } from '../../governance/types.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { fullTime } from '../format.ts';
import { GovernanceCharts } from './governance-charts.tsx';
import { GovernanceSummary } from './governance-summary.tsx';
import { GovernanceTables } from './governance-tables.tsx';

/**
 * SPEC §9: user-authorized Behalf against a self-authorized ("agent identity") design on this
 * deployment's own users, threads and audit log: a one-sentence conclusion first, then the figures
 * it is built from, one chart per unit, and the tables behind them (which add up to the figures).
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
          <p className="governance-conclusion" data-testid="governance-conclusion">
            {report.conclusion}
          </p>
          <GovernanceSummary report={report} />
          <GovernanceCharts report={report} />
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
