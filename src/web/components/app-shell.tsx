import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useApp } from '../app-context.ts';
import { focusableIn } from '../focus.ts';
import type { RealtimeStatus } from '../realtime.ts';
import { useRoute } from '../router.ts';
import { NARROW_QUERY, useMediaQuery } from '../use-media-query.ts';
import { AdminPage } from './admin-page.tsx';
import { AuditPage } from './audit-page.tsx';
import { Avatar } from './avatar.tsx';
import { ConnectionsPage } from './connections-page.tsx';
import { GovernancePage } from './governance-page.tsx';
import { Icon } from './icon.tsx';
import { Link } from './link.tsx';
import { ThreadsPage } from './threads-page.tsx';

/**
 * The signed-in frame: top bar with navigation and the current person, then the page. On narrow
 * windows the navigation and Sign out fold into a menu (issue 11.1): the toggle opens it and
 * focuses its first link, Escape closes it and returns focus to the toggle, and following a link,
 * clicking elsewhere or tabbing out closes it.
 */
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
  // The Admin page appears only to administrators of the served workspace (404 when none is).
  const [isAdmin, setIsAdmin] = useState(false);
  useEffect(() => {
    api.adminAccess().then(
      (access) => setIsAdmin(access.admin),
      () => setIsAdmin(false),
    );
  }, [api]);
  const [status, setStatus] = useState<RealtimeStatus>(realtime.status);
  useEffect(() => realtime.onStatus((next) => setStatus(next)), [realtime]);

  const narrow = useMediaQuery(NARROW_QUERY);
  const [menuOpen, setMenuOpen] = useState(false);
  const header = useRef<HTMLElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const menuShown = narrow && menuOpen;
  // Every navigation (a new route object) and every switch to a wide window closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: route and narrow are the triggers
  useEffect(() => setMenuOpen(false), [route, narrow]);
  useEffect(() => {
    if (!menuShown) return;
    focusableIn(menu.current)[0]?.focus();
    const outside = (event: PointerEvent) => {
      if (event.target instanceof Node && !header.current?.contains(event.target)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [menuShown]);
  const onMenuKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!menuShown || event.key !== 'Escape') return;
    event.preventDefault();
    setMenuOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape bubbles here from the menu's links */}
      <header
        className="topbar"
        ref={header}
        onKeyDown={onMenuKeyDown}
        onBlur={(event) => {
          if (menuShown && !(event.relatedTarget instanceof Node && header.current?.contains(event.relatedTarget)))
            setMenuOpen(false);
        }}
      >
        <button
          ref={toggle}
          type="button"
          className="icon-button topbar-menu-toggle"
          aria-label="Menu"
          aria-expanded={menuShown}
          aria-controls="main-menu"
          data-testid="menu-toggle"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <Icon name="menu" />
        </button>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          Behalf
        </Link>
        <div id="main-menu" ref={menu} className="topbar-menu" data-open={menuShown ? 'true' : 'false'}>
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
            {isAdmin ? (
              <Link to="/admin" current={route.page === 'admin'} testId="nav-admin">
                Admin
              </Link>
            ) : null}
            {hasConnectors || route.page === 'connections' ? (
              <Link to="/connections" current={route.page === 'connections'} testId="nav-connections">
                Connections
              </Link>
            ) : null}
          </nav>
          <span className="topbar-menu-user" aria-hidden="true">
            {me.name} · {me.title}
          </span>
          <button
            type="button"
            className="button button-ghost topbar-sign-out"
            data-testid="sign-out"
            onClick={() => void onSignOut()}
          >
            Sign out
          </button>
        </div>
        <span
          className={`connection connection-${status}`}
          data-testid="connection-status"
          data-status={status}
          title={status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}
        >
          <span className="connection-dot" aria-hidden="true" />
          <span className="connection-text">
            {status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
        </span>
        <span
          className="current-user"
          data-testid="current-user"
          data-user-id={me.id}
          title={`${me.name}, ${me.title}`}
        >
          <Avatar name={me.name} size="sm" />
          <span className="current-user-text">
            <span className="current-user-name">{me.name}</span>
            <span className="current-user-title">{me.title}</span>
          </span>
        </span>
      </header>
      <div id="main" className="shell-main">
        {route.page === 'threads' ? (
          <ThreadsPage threadId={route.threadId} />
        ) : route.page === 'audit' ? (
          <AuditPage initialQuery={route.query} />
        ) : route.page === 'connections' ? (
          <ConnectionsPage />
        ) : route.page === 'admin' ? (
          <AdminPage />
        ) : (
          <GovernancePage />
        )}
      </div>
    </div>
  );
}
