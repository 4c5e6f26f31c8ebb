import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { UserWire } from '../../protocol/wire.ts';
import { ApiClient, ApiError } from '../api.ts';
import { AppContext, type AppContextValue } from '../app-context.ts';
import { RealtimeClient } from '../realtime.ts';
import { navigate } from '../router.ts';
import { AppShell } from './app-shell.tsx';
import { SignInPage } from './sign-in-page.tsx';
import { type Toast, Toasts } from './toasts.tsx';

interface Session {
  me: UserWire;
  canReadAudit: boolean;
}

/** The root: restores the session (`GET /api/me`), shows sign-in or the app, owns the toasts. */
export function App() {
  const [session, setSession] = useState<Session | null | 'loading'>('loading');
  const [people, setPeople] = useState<ReadonlyMap<string, UserWire>>(new Map());
  const [toasts, setToasts] = useState<Toast[]>([]);
  const signedIn = useRef(false);
  const nextToast = useRef(0);

  const notify = useCallback((problem: unknown, kind: 'error' | 'info' = 'error') => {
    const text = problem instanceof Error ? problem.message : String(problem);
    const id = nextToast.current++;
    setToasts((current) => [...current.slice(-3), { id, kind, text }]);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);

  const api = useMemo(
    () =>
      new ApiClient({
        onUnauthenticated: () => {
          if (signedIn.current) notify('Your session has ended. Please sign in again.', 'info');
          signedIn.current = false;
          setSession(null);
        },
      }),
    [notify],
  );
  // A closed session on the socket is confirmed over HTTP, whose 401 returns to sign-in.
  const realtime = useMemo(() => new RealtimeClient({ onSessionEnded: () => void api.me().catch(() => {}) }), [api]);

  useEffect(() => {
    api.me().then(
      (me) => setSession({ me: me.user, canReadAudit: me.canReadAudit }),
      (error: unknown) => {
        if (!(error instanceof ApiError && error.status === 401)) notify(error);
        setSession(null);
      },
    );
  }, [api, notify]);

  const me = session !== 'loading' && session ? session.me : null;
  useEffect(() => {
    if (!me) return;
    signedIn.current = true;
    realtime.start();
    api.users().then(
      (users) => setPeople(new Map(users.map((user) => [user.id, user]))),
      (error: unknown) => notify(error),
    );
    return () => realtime.stop();
  }, [me, api, realtime, notify]);

  const signIn = useCallback(
    async (userId: string) => {
      await api.signIn(userId);
      const current = await api.me();
      setSession({ me: current.user, canReadAudit: current.canReadAudit });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      const endSessionUrl = await api.signOut();
      // With OIDC, the provider's session ends too; it sends the browser back to `/`.
      if (endSessionUrl) {
        window.location.assign(endSessionUrl);
        return;
      }
    } catch (error) {
      notify(error);
    }
    signedIn.current = false;
    setSession(null);
    navigate('/');
  }, [api, notify]);

  const context = useMemo<AppContextValue | null>(
    () =>
      session && session !== 'loading'
        ? { api, realtime, me: session.me, canReadAudit: session.canReadAudit, people, notify, navigate }
        : null,
    [api, realtime, session, people, notify],
  );

  return (
    <>
      {session === 'loading' ? (
        <div className="splash" aria-busy="true">
          Loading…
        </div>
      ) : context ? (
        <AppContext.Provider value={context}>
          <AppShell onSignOut={signOut} />
        </AppContext.Provider>
      ) : (
        <SignInPage api={api} onSignIn={signIn} notify={notify} />
      )}
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </>
  );
}
