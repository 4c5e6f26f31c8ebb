import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { ACME_USERS } from '../support/acme/demo.ts';

/** A person the test provider knows: its claims are read at every login, so tests can change them. */
export interface TestAccount {
  name: string;
  /** `undefined` leaves the groups claim out; anything else is sent as is. */
  groups: unknown;
}

/**
 * A real OpenID provider (`oidc-provider` 9) on a loopback port, for the OIDC login tests. It
 * knows the Acme people (with a `groups` claim), requires PKCE, signs in whoever `nextLogin`
 * names when the interaction starts (no forms), and consents automatically. Its signing key is
 * the test's, so tests can also forge tokens "from this provider".
 */
export interface TestProvider {
  readonly issuer: string;
  /** The account the next interaction signs in. */
  nextLogin: string;
  readonly accounts: Map<string, TestAccount>;
  /** The provider's RS256 signing key (private JWK with `kid`). */
  readonly signingKey: JWK & { kid: string };
  /** Registers the clients and starts answering (clients may depend on URLs known only later). */
  start(clients: ClientMetadata[]): void;
  close(): Promise<void>;
}

/** Listens first (the issuer needs the port), answers 503 until `start`. */
export async function listenTestProvider(): Promise<TestProvider> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (handler) handler(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-provider-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, TestAccount>(
    ACME_USERS.map((user) => [user.id, { name: user.name, groups: [...user.groups] }]),
  );

  const fixture: TestProvider = {
    issuer,
    nextLogin: 'alice',
    accounts,
    signingKey,
    start(clients) {
      const provider = new Provider(issuer, {
        clients,
        jwks: { keys: [signingKey] },
        cookies: { keys: ['behalf-test-provider-cookie-key'] },
        pkce: { required: () => true },
        ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
        features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
        interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
          const account = accounts.get(id);
          if (!account) return undefined;
          return {
            accountId: id,
            claims: () => ({
              sub: id,
              name: account.name,
              preferred_username: id,
              ...(account.groups === undefined ? {} : { groups: account.groups }),
            }),
          };
        },
        // Auto-consent: every login is granted the scopes it asked for.
        loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
          const grant = new ctx.oidc.provider.Grant({
            accountId: ctx.oidc.account?.accountId,
            clientId: ctx.oidc.client?.clientId,
          });
          grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
          await grant.save();
          return grant;
        },
      });
      const callback = provider.callback();
      handler = (request, response) => {
        if (request.url?.startsWith('/interaction/')) {
          void finishInteraction(provider, request, response, fixture.nextLogin);
          return;
        }
        callback(request, response);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fixture;
}

async function finishInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  accountId: string,
): Promise<void> {
  try {
    await provider.interactionDetails(request, response);
    await provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false });
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}
