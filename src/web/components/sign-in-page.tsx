import { useEffect, useState } from 'react';
import { isOidcLoginErrorCode, OIDC_LOGIN_ERROR_MESSAGES } from '../../protocol/login-errors.ts';
import type { AuthConfigResponse, UserWire } from '../../protocol/wire.ts';
import type { ApiClient } from '../api.ts';
import { Avatar } from './avatar.tsx';
import { Chips } from './chips.tsx';

interface SignInPageProps {
  api: ApiClient;
  onSignIn: (userId: string) => Promise<void>;
  notify: (problem: unknown) => void;
}

/**
 * Sign-in: with OpenID Connect configured, one "Sign in with <provider>" button (and the reason a
 * refused login came back with, `/?login_error=<code>`); otherwise dev login, the demo's people
 * with their titles and groups, where one click (or Enter) signs in.
 */
export function SignInPage({ api, onSignIn, notify }: SignInPageProps) {
  const [config, setConfig] = useState<AuthConfigResponse | null>(null);
  const [people, setPeople] = useState<UserWire[] | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [loginError] = useState(() => new URLSearchParams(window.location.search).get('login_error'));

  useEffect(() => {
    api.authConfig().then(
      (loaded) => {
        setConfig(loaded);
        if (!loaded.devLogin) {
          setPeople([]);
          return;
        }
        api.devUsers().then(setPeople, (error: unknown) => {
          notify(error);
          setPeople([]);
        });
      },
      (error: unknown) => {
        notify(error);
        setPeople([]);
      },
    );
  }, [api, notify]);

  const signIn = async (userId: string) => {
    setPending(userId);
    try {
      await onSignIn(userId);
    } catch (error) {
      notify(error);
      setPending(null);
    }
  };

  return (
    <main className="sign-in" data-testid="sign-in-page">
      <div className="sign-in-card">
        <header className="sign-in-header">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <div>
            <h1>Sign in to Behalf</h1>
            <p className="muted">
              {config?.oidc
                ? 'The agent acts with your identity and permissions from your organization’s identity provider.'
                : 'Demo sign-in for this workspace. The agent will act with the identity and permissions of whoever you choose.'}
            </p>
          </div>
        </header>
        {isOidcLoginErrorCode(loginError) && (
          <p className="sign-in-error" role="alert" data-testid="sign-in-error" data-code={loginError}>
            {OIDC_LOGIN_ERROR_MESSAGES[loginError]}
          </p>
        )}
        {config?.oidc ? (
          <a className="button button-primary" href={config.oidc.loginUrl} data-testid="sign-in-oidc">
            Sign in with {providerName(config.oidc.issuer)}
          </a>
        ) : people === null ? (
          <p className="muted" aria-busy="true">
            Loading people…
          </p>
        ) : people.length === 0 ? (
          <p className="muted">Dev sign-in is not available on this server.</p>
        ) : (
          <ul className="people-grid" aria-label="People">
            {people.map((person, index) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="person-button"
                  data-testid="sign-in-person"
                  data-user-id={person.id}
                  disabled={pending !== null}
                  aria-busy={pending === person.id}
                  // biome-ignore lint/a11y/noAutofocus: the first person is the page's one obvious action
                  autoFocus={index === 0}
                  onClick={() => void signIn(person.id)}
                >
                  <Avatar name={person.name} />
                  <span className="person-text">
                    <span className="person-name">{person.name}</span>
                    <span className="person-title">{person.title}</span>
                    <Chips items={person.groups} kind="group" />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </main>
  );
}

/** The provider as people know it: its host name (`login.example.com`). */
function providerName(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}
