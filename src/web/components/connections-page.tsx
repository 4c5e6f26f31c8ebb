import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { ConnectorWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';

/**
 * The signed-in person's own accounts on tool servers that act with them (`per-user-oauth` MCP
 * servers): connect one by pasting the token the server expects, see whether it is live, remove
 * it. Only ever the caller's own; the server never sends a token back.
 */
export function ConnectionsPage() {
  const { api, notify } = useApp();
  const [connectors, setConnectors] = useState<ConnectorWire[] | null>(null);

  const load = useCallback(() => {
    api.connectors().then(setConnectors, (error: unknown) => {
      notify(error);
      setConnectors([]);
    });
  }, [api, notify]);
  useEffect(load, [load]);

  const replace = (next: ConnectorWire) =>
    setConnectors((current) => (current ?? []).map((item) => (item.server === next.server ? next : item)));

  return (
    <main className="page" data-testid="connections-page">
      <header className="page-header">
        <div>
          <h1>Connections</h1>
          <p className="muted">
            Some tool servers act with your own account there. The agent uses it only for your requests, and only on the
            server you connected.
          </p>
        </div>
      </header>
      {connectors === null ? (
        <p className="muted">Loading…</p>
      ) : connectors.length === 0 ? (
        <p className="muted" data-testid="connections-empty">
          No tool server here needs your own account.
        </p>
      ) : (
        <div className="form">
          {connectors.map((connector) => (
            <ConnectorCard key={connector.server} connector={connector} onChange={replace} />
          ))}
        </div>
      )}
    </main>
  );
}

function ConnectorCard({ connector, onChange }: { connector: ConnectorWire; onChange: (next: ConnectorWire) => void }) {
  const { api, notify } = useApp();
  const [token, setToken] = useState('');
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const tokenId = `connector-token-${connector.server}`;
  const expiresId = `connector-expires-${connector.server}`;

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const expiresAt = expires ? new Date(expires).getTime() : null;
      onChange(await api.connect(connector.server, token.trim(), expiresAt));
      setToken('');
      setExpires('');
      notify(`Connected your ${connector.server} account.`, 'info');
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };
  const disconnect = async () => {
    setBusy(true);
    try {
      await api.disconnect(connector.server);
      onChange({ ...connector, connected: false, expiresAt: null, updatedAt: null });
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  const state = connector.connected
    ? `Connected${connector.expiresAt ? ` until ${new Date(connector.expiresAt).toLocaleString()}` : ''}`
    : connector.expiresAt
      ? 'Expired: connect again'
      : 'Not connected';
  return (
    <section
      className="card form"
      data-testid="connector"
      data-server={connector.server}
      data-connected={connector.connected}
      aria-label={connector.server}
    >
      <div className="page-header">
        <div>
          <h2>{connector.server}</h2>
          <p className="muted">
            <code>{connector.resource}</code>
          </p>
        </div>
        <span className="chip" data-testid="connector-state">
          {state}
        </span>
      </div>
      <form className="form" onSubmit={(event) => void connect(event)}>
        <div className="field">
          <label className="field-label" htmlFor={tokenId}>
            {connector.connected ? 'Replace your access token' : 'Your access token'}
          </label>
          <input
            id={tokenId}
            className="input"
            type="password"
            autoComplete="off"
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={expiresId}>
            Expires (optional)
          </label>
          <input
            id={expiresId}
            className="input"
            type="datetime-local"
            value={expires}
            onChange={(event) => setExpires(event.target.value)}
          />
        </div>
        <div className="page-header-actions">
          <button type="submit" className="button button-primary" disabled={busy || !token.trim()}>
            Connect
          </button>
          {connector.connected ? (
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void disconnect()}>
              Disconnect
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
