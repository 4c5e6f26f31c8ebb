import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditRecordWire } from '../../protocol/wire.ts';
import type { AuditFilters as Filters } from '../api.ts';
import { useApp } from '../app-context.ts';
import { AuditExport } from './audit-export.tsx';
import { AuditFilters } from './audit-filters.tsx';
import { AUDIT_FILTER_KEYS, AuditTable, type AuditThreadNames, auditPathOf } from './audit-table.tsx';
import { ChainStatus } from './chain-status.tsx';

const PAGE_SIZE = 200;

/** The filters a page URL's query holds. */
function auditFiltersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(AUDIT_FILTER_KEYS.map((key) => [key, query.get(key) ?? '']));
}

/**
 * Who did what: the audit log, newest first, with search, date range and filters kept in the URL
 * (links to a thread's or run's records are plain page links), the hash chain's verification and
 * exports of exactly what the filters match. Auditors see every record and every thread's title;
 * everyone else sees the records of their own requests (the server decides).
 */
export function AuditPage({ initialQuery }: { initialQuery: URLSearchParams }) {
  const { api, canReadAudit, notify, navigate } = useApp();
  const queryKey = initialQuery.toString();
  const [filters, setFilters] = useState<Filters>(() => auditFiltersOf(initialQuery));
  const [records, setRecords] = useState<AuditRecordWire[] | null>(null);
  const [more, setMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [threads, setThreads] = useState<AuditThreadNames>({ titles: new Map(), memberOf: new Set() });
  const generation = useRef(0);

  const load = useCallback(
    (applied: Filters) => {
      const current = ++generation.current;
      setRecords(null);
      api.audit(applied, { limit: PAGE_SIZE }).then(
        (loaded) => {
          if (current !== generation.current) return;
          setRecords(loaded);
          setMore(loaded.length === PAGE_SIZE);
        },
        (error: unknown) => {
          notify(error);
          setRecords([]);
          setMore(false);
        },
      );
    },
    [api, notify],
  );

  // The URL is the source of truth: following a thread or run link, or going back, reloads.
  useEffect(() => {
    const next = auditFiltersOf(new URLSearchParams(queryKey));
    setFilters(next);
    load(next);
  }, [queryKey, load]);

  useEffect(() => {
    // Auditors filter by any thread the log names (titles from the auditor-only lookup); everyone
    // else by the threads they belong to.
    const own = api.threads().catch(() => []);
    const named = canReadAudit ? api.auditThreads().catch(() => []) : Promise.resolve([]);
    void Promise.all([own, named]).then(([mine, all]) => {
      const titles = new Map<string, string>();
      for (const thread of [...all, ...mine]) titles.set(thread.id, thread.title);
      setThreads({ titles, memberOf: new Set(mine.map((thread) => thread.id)) });
    });
  }, [api, canReadAudit]);

  const apply = (next: Filters) => {
    const path = auditPathOf(next);
    if (path === `${location.pathname}${location.search}`) load(next);
    else navigate(path);
  };

  const loadOlder = () => {
    const oldest = records?.at(-1);
    if (!oldest) return;
    setLoadingOlder(true);
    api
      .audit(filters, { before: oldest.seq, limit: PAGE_SIZE })
      .then(
        (older) => {
          setRecords((current) => [...(current ?? []), ...older]);
          setMore(older.length === PAGE_SIZE);
        },
        (error: unknown) => notify(error),
      )
      .finally(() => setLoadingOlder(false));
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
          <AuditExport filters={filters} />
        </div>
      </header>
      <ChainStatus />
      <AuditFilters value={filters} threads={threads.titles} onApply={apply} />
      <AuditTable records={records} threads={threads} />
      {records && more ? (
        <div className="audit-more">
          <button
            type="button"
            className="button"
            onClick={loadOlder}
            disabled={loadingOlder}
            data-testid="audit-load-older"
          >
            {loadingOlder ? 'Loading…' : 'Load older records'}
          </button>
        </div>
      ) : null}
    </main>
  );
}
