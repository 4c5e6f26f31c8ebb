import { useState } from 'react';
import type { AuditFilters } from '../api.ts';
import { useApp } from '../app-context.ts';

const FORMATS = [
  { format: 'jsonl', label: 'Export JSONL', file: 'behalf-audit.jsonl' },
  { format: 'otel', label: 'Export OpenTelemetry', file: 'behalf-audit-otel.jsonl' },
] as const;

/**
 * Download buttons for the audit export of exactly the records the active filters match (all of
 * them, not only the loaded page); errors (e.g. not permitted) become toasts.
 */
export function AuditExport({ filters }: { filters: AuditFilters }) {
  const { api, notify } = useApp();
  const [busy, setBusy] = useState(false);
  const filtered = Object.values(filters).some(Boolean);

  const download = async (format: 'jsonl' | 'otel', file: string) => {
    setBusy(true);
    try {
      const blob = await api.exportAudit(format, filters);
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = file;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="button-row">
      {FORMATS.map(({ format, label, file }) => (
        <button
          key={format}
          type="button"
          className="button"
          disabled={busy}
          title={filtered ? 'Exports every record the active filters match' : 'Exports every record you may read'}
          onClick={() => void download(format, file)}
          data-testid={`audit-export-${format}`}
        >
          {label}
          {filtered ? ' (filtered)' : ''}
        </button>
      ))}
    </div>
  );
}
