import { useState } from 'react';
import { useApp } from '../app-context.ts';

const FORMATS = [
  { format: 'jsonl', label: 'Export JSONL', file: 'behalf-audit.jsonl' },
  { format: 'otel', label: 'Export OpenTelemetry', file: 'behalf-audit-otel.json' },
] as const;

/** Download buttons for the audit export; errors (e.g. not permitted) become toasts. */
export function AuditExport() {
  const { api, notify } = useApp();
  const [busy, setBusy] = useState(false);

  const download = async (format: 'jsonl' | 'otel', file: string) => {
    setBusy(true);
    try {
      const blob = await api.exportAudit(format);
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
          onClick={() => void download(format, file)}
          data-testid={`audit-export-${format}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
