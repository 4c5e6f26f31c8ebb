import { useCallback, useEffect, useState } from 'react';
import type { AuditRecordWire, ThreadWire } from '../../protocol/wire.ts';
import type { AuditFilters as Filters } from '../api.ts';
import { useApp } from '../app-context.ts';
import { AuditExport } from './audit-export.tsx';
import { AuditFilters } from './audit-filters.tsx';
import { AuditTable } from './audit-table.tsx';
import { ChainStatus } from './chain-status.tsx';

const FILTER_KEYS = ['user', 'thread', 'run', 'decision'] as const;

/**
 * Who did what: the audit log with filters, the hash chain's verification and exports. Auditors
 * see every record; everyone else sees the records of their own requests (the server decides).
 */
export function AuditPage({ initialQuery }: { initialQuery: URLSearchParams }) {
  const { api, canReadAudit, notify, navigate } = useApp();
  const [filters, setFilters] = useState<Filters>(() =>
    Object.fromEntries(FILTER_KEYS.map((key) => [key, initialQuery.get(key) ?? ''])),
  );
  const [records, setRecords] = useState<AuditRecordWire[] | null>(null);
  const [threads, setThreads] = useState<ThreadWire[]>([]);

  const load = useCallback(
    (applied: Filters) => {
      setRecords(null);
      api.audit(applied).then(
        (loaded) => setRecords([...loaded].sort((a, b) => b.seq - a.seq)),
        (error: unknown) => {
          notify(error);
          setRecords([]);
        },
      );
    },
    [api, notify],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first load uses the initial filters only
  useEffect(() => {
    load(filters);
    api.threads().then(setThreads, () => setThreads([]));
  }, [api, load]);

  const apply = (next: Filters) => {
    setFilters(next);
    const query = new URLSearchParams();
    for (const key of FILTER_KEYS) if (next[key]) query.set(key, next[key] ?? '');
    navigate(`/audit${query.toString() ? `?${query}` : ''}`, { replace: true });
    load(next);
  };

  return (
    <main className="page page-wide" data-testid="audit-page">
      <header className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            {canReadAudit
              ? 'Every tool call, data access, approval, disclosure and share, each tied to the human it was for.'
              : 'You see the records of your own requests. Auditors see everyone’s.'}
          </p>
        </div>
        <div className="page-header-actions">
          <AuditExport />
        </div>
      </header>
      <ChainStatus />
      <AuditFilters value={filters} threads={threads} onApply={apply} />
      <AuditTable records={records} threads={threads} />
    </main>
  );
}
