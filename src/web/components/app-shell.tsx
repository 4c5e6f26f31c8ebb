import { useEffect, useState } from 'react';
import { useApp } from '../app-context.ts';
import type { RealtimeStatus } from '../realtime.ts';
import { useRoute } from '../router.ts';
import { AuditPage } from './audit-page.tsx';
import { Avatar } from './avatar.tsx';
import { ConnectionsPage } from './connections-page.tsx';
import { GovernancePage } from './governance-page.tsx';
import { Link } from './link.tsx';
import { ThreadsPage } from './threads-page.tsx';

/** The signed-in frame: top bar with navigation and the current person, then the page. */
export function AppShell({ onSignOut }: { onSignOut: () => Promise<void> }) {
  const { api, me, realtime, canReadAudit } = useApp();
  const route = useRoute();
  // The Connections page appears only where some tool server acts with people's own accounts.
  const [hasConnectors, setHasConnectors] = useState(false);
  useEffect(() => {
    api.connectors().then(
      (connectors) => setHasConnectors(connectors.length > 0),
      () => setHasConnectors(false),
    );
  }, [api]);
  const [status, setStatus] = useState<RealtimeStatus>(realtime.status);
  useEffect(() => realtime.onStatus((next) => setStatus(next)), [realtime]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-left">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              B
            </span>
            Behalf
          </Link>
          <nav className="nav" aria-label="Main">
            <Link to="/" current={route.page === 'threads'} testId="nav-threads">
              Threads
            </Link>
            <Link to="/audit" current={route.page === 'audit'} testId="nav-audit">
              Audit
            </Link>
            {canReadAudit ? (
              <Link to="/governance" current={route.page === 'governance'} testId="nav-governance">
                Governance
              </Link>
            ) : null}
            {hasConnectors || route.page === 'connections' ? (
              <Link to="/connections" current={route.page === 'connections'} testId="nav-connections">
                Connections
              </Link>
            ) : null}
          </nav>
        </div>
        <div className="topbar-right">
          <span className={`connection connection-${status}`} data-testid="connection-status" data-status={status}>
            <span className="connection-dot" aria-hidden="true" />
            {status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
          <span className="current-user" data-testid="current-user" data-user-id={me.id}>
            <Avatar name={me.name} size="sm" />
            <span>
              <span className="current-user-name">{me.name}</span>
              <span className="current-user-title">{me.title}</span>
            </span>
          </span>
          <button type="button" className="button button-ghost" data-testid="sign-out" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div id="main" className="shell-main">
        {route.page === 'threads' ? (
          <ThreadsPage threadId={route.threadId} />
        ) : route.page === 'audit' ? (
          <AuditPage initialQuery={route.query} />
        ) : route.page === 'connections' ? (
          <ConnectionsPage />
        ) : (
          <GovernancePage />
        )}
      </div>
    </div>
  );
}
