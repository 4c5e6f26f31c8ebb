import { Hono } from 'hono';
import { z } from 'zod';
import type { ConnectorCredentials } from '../../delegation/connector-credentials.ts';
import { AppError } from '../../protocol/errors.ts';
import type { ConnectorsResponse, ConnectorWire } from '../../protocol/wire.ts';
import { hashValue } from '../../shared/hash.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readJsonBody, readParams, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

/** The MCP servers that act with each person's own account, and where their tokens are kept. */
export interface ConnectorAccounts {
  credentials: ConnectorCredentials;
  servers: ReadonlyArray<{ name: string; resource: string }>;
}

const NoQuery = z.strictObject({});
const ServerParams = z.strictObject({ server: z.string().min(1).max(100) });
// A bearer token as RFC 6750 §2.1 spells it (b64token): printable, no spaces, so it can travel
// in a header unchanged.
const ConnectBody = z.strictObject({
  accessToken: z
    .string()
    .min(1)
    .max(8192)
    .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must be a bearer token (letters, digits and -._~+/ only)'),
  expiresAt: z.number().int().positive().nullable().optional(),
});

/**
 * `/api/connectors`: each person connects their own account on a `per-user-oauth` MCP server by
 * handing Behalf the token it expects (a personal access token, or one their identity provider
 * issued), and can see or remove that connection. The user is always the session's; a token is
 * never returned, and every change is audited under the person (the token only as a hash).
 */
export function connectorRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const accounts = context.connectors;
  const serverNamed = (name: string) => {
    const server = accounts?.servers.find((candidate) => candidate.name === name);
    if (!accounts || !server) throw new AppError('not_found', `No MCP server "${name}" takes personal accounts`);
    return { credentials: accounts.credentials, server };
  };
  const wire = async (
    credentials: ConnectorCredentials,
    user: string,
    server: { name: string; resource: string },
  ): Promise<ConnectorWire> => ({
    server: server.name,
    resource: server.resource,
    ...(await credentials.status({ user, resource: server.resource })),
  });
  const audit = (user: string, action: string, server: string, reason: string, argsHash?: string) =>
    context.app.audit.append({
      requester: user,
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action,
      resource: `mcp:${server}`,
      decision: 'allow',
      policies: [],
      reason,
      ...(argsHash ? { argsHash } : {}),
    });

  router.get('/connectors', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const response: ConnectorsResponse = {
      connectors: accounts
        ? await Promise.all(accounts.servers.map((server) => wire(accounts.credentials, user.id, server)))
        : [],
    };
    return c.json(response);
  });

  router.put('/connectors/:server', async (c) => {
    const { user } = currentAuth(c);
    const { credentials, server } = serverNamed(readParams(c, ServerParams).server);
    const body = await readJsonBody(c, ConnectBody);
    const expiresAt = body.expiresAt ?? null;
    if (expiresAt !== null && expiresAt <= context.app.clock.now()) {
      throw new AppError('validation_failed', 'expiresAt must be in the future (epoch milliseconds)');
    }
    // Recorded first: if the audit log cannot write, nothing is stored.
    await audit(
      user.id,
      'connector.connect',
      server.name,
      `${user.id} connected their account`,
      hashValue(body.accessToken),
    );
    await credentials.connect(
      { user: user.id, resource: server.resource },
      { accessToken: body.accessToken, expiresAt },
    );
    return c.json(await wire(credentials, user.id, server));
  });

  router.delete('/connectors/:server', async (c) => {
    const { user } = currentAuth(c);
    const { credentials, server } = serverNamed(readParams(c, ServerParams).server);
    readQuery(c, NoQuery);
    const removed = await credentials.disconnect({ user: user.id, resource: server.resource });
    if (!removed) throw new AppError('not_found', `You have not connected "${server.name}"`);
    await audit(user.id, 'connector.disconnect', server.name, `${user.id} disconnected their account`);
    return c.body(null, 204);
  });

  return router;
}
