import { useCallback, useEffect, useState } from 'react';
import type { AuditVerifyResponse } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { shortHash } from '../format.ts';
import { Icon } from './icon.tsx';

/** The hash chain's verification (`GET /api/audit/verify`): verified with count and head, or where it breaks. */
export function ChainStatus() {
  const { api } = useApp();
  const [result, setResult] = useState<AuditVerifyResponse | { error: string } | null>(null);

  const verify = useCallback(() => {
    setResult(null);
    api
      .verifyAudit()
      .then(setResult, (error: unknown) =>
        setResult({ error: error instanceof Error ? error.message : String(error) }),
      );
  }, [api]);
  useEffect(verify, [verify]);

  const state = result === null ? 'checking' : 'error' in result ? 'unavailable' : result.ok ? 'ok' : 'broken';
  return (
    <section className={`chain-status chain-${state}`} data-testid="chain-status" data-state={state} aria-live="polite">
      <span className="chain-icon">
        <Icon name={state === 'ok' ? 'check' : state === 'broken' ? 'cross' : 'alert'} />
      </span>
      <span className="chain-text">
        {result === null ? (
          'Verifying the audit chain…'
        ) : 'error' in result ? (
          <>Chain status unavailable: {result.error}</>
        ) : result.ok ? (
          <>
            <strong>Chain verified</strong> — {result.count} {result.count === 1 ? 'record' : 'records'}, head{' '}
            <code title={result.head}>{shortHash(result.head, 16)}</code>
          </>
        ) : (
          <>
            <strong>Chain broken at record {result.brokenAt}</strong> — {result.reason} ({result.count} records checked)
          </>
        )}
      </span>
      <button type="button" className="button button-small button-ghost" onClick={verify} data-testid="chain-reverify">
        Verify again
      </button>
    </section>
  );
}
