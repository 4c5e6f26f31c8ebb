import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodType } from 'zod';
import { isJsonObject, type ScimJson } from '../../identity/scim/scim-attributes.ts';
import { ScimError, scimNotFound } from '../../identity/scim/scim-error.ts';
import type { ScimWriteResult } from '../../identity/scim/scim-provisioning.ts';
import {
  SCIM_CONTENT_TYPE,
  SCIM_LIST_RESPONSE_SCHEMA,
  ScimListQuery,
  ScimResourceQuery,
} from '../../identity/scim/scim-schemas.ts';
import { type ScimSettings, scimTokenMatches } from '../../identity/scim/scim-settings.ts';
import { isAppError } from '../../protocol/errors.ts';
import type { UnexpectedErrorReporter } from '../error-handler.ts';
import { limitBody } from '../middleware/body-limit.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

/** Where SCIM is served. */
export const SCIM_BASE_PATH = '/scim/v2';

/** Largest SCIM request body (a group PATCH can list many members). */
const SCIM_MAX_BODY_BYTES = 1024 * 1024;

/**
 * SCIM 2.0 (RFC 7644) at `/scim/v2`, for an identity provider's provisioning client: `Users`,
 * `Groups`, `ServiceProviderConfig`, `ResourceTypes`, `Schemas`. Mounted only when a token is
 * configured (`BEHALF_SCIM_TOKEN`); without one these paths are a plain 404. Every request
 * presents the token as `Authorization: Bearer` (compared in constant time; no sessions, no
 * cookies); anything else is 401. Bodies are JSON (`application/scim+json` or
 * `application/json`); responses are `application/scim+json`; errors use the SCIM error schema.
 * When a write deprovisions someone, the WebSockets opened with their sessions close at once.
 */
export function scimRoutes(
  context: RouteContext,
  settings: ScimSettings,
  report?: UnexpectedErrorReporter,
): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const scim = context.app.edge.scim;

  router.onError((error, c) => scimErrorResponse(c, error, report));
  router.use('*', limitBody(SCIM_MAX_BODY_BYTES));
  router.use('*', async (c, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(c.req.header('authorization')?.trim() ?? '');
    if (!scimTokenMatches(settings, match?.[1])) {
      c.header('WWW-Authenticate', 'Bearer realm="scim"');
      throw new ScimError(401, 'Present the SCIM bearer token: Authorization: Bearer <token>');
    }
    await next();
  });

  router.get('/ServiceProviderConfig', (c) => send(c, scim.serviceProviderConfig(baseOf(c))));
  router.get('/ResourceTypes', (c) => send(c, list(scim.resourceTypes(baseOf(c)))));
  router.get('/ResourceTypes/:id', (c) =>
    send(c, byId(scim.resourceTypes(baseOf(c)), c.req.param('id'), 'ResourceType')),
  );
  router.get('/Schemas', (c) => send(c, list(scim.schemas(baseOf(c)))));
  router.get('/Schemas/:id', (c) => send(c, byId(scim.schemas(baseOf(c)), c.req.param('id'), 'Schema')));

  router.get('/Users', async (c) => send(c, await scim.listUsers(query(c, ScimListQuery))));
  router.post('/Users', async (c) => created(c, 'Users', closeSessions(context, await scim.createUser(await body(c)))));
  router.get('/Users/:id', async (c) => send(c, await scim.getUser(id(c), query(c, ScimResourceQuery))));
  router.put('/Users/:id', async (c) =>
    send(c, closeSessions(context, await scim.replaceUser(id(c), await body(c))).resource),
  );
  router.patch('/Users/:id', async (c) =>
    send(c, closeSessions(context, await scim.patchUser(id(c), await body(c))).resource),
  );
  router.delete('/Users/:id', async (c) => {
    closeSessions(context, await scim.deleteUser(id(c)));
    return c.body(null, 204);
  });

  router.get('/Groups', async (c) => send(c, await scim.listGroups(query(c, ScimListQuery))));
  router.post('/Groups', async (c) => created(c, 'Groups', await scim.createGroup(await body(c))));
  router.get('/Groups/:id', async (c) => send(c, await scim.getGroup(id(c), query(c, ScimResourceQuery))));
  router.put('/Groups/:id', async (c) => send(c, (await scim.replaceGroup(id(c), await body(c))).resource));
  router.patch('/Groups/:id', async (c) => send(c, (await scim.patchGroup(id(c), await body(c))).resource));
  router.delete('/Groups/:id', async (c) => {
    await scim.deleteGroup(id(c));
    return c.body(null, 204);
  });

  router.all('*', () => {
    throw new ScimError(404, 'No such SCIM endpoint');
  });
  return router;
}

/** Closes the WebSockets opened with the sessions a write ended (I8: at once, not at the next event). */
function closeSessions<Result extends { endedSessions: string[] }>(context: RouteContext, result: Result): Result {
  for (const hash of result.endedSessions) context.realtime?.closeSession(hash);
  return result;
}

function baseOf(c: Context): string {
  return `${new URL(c.req.url).origin}${SCIM_BASE_PATH}`;
}

function id(c: Context): string {
  const value = c.req.param('id') ?? '';
  if (value.length === 0 || value.length > 256) throw new ScimError(404, 'No such resource');
  return value;
}

function query<Output>(c: Context, schema: ZodType<Output>): Output {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    throw new ScimError(400, 'Invalid query parameters (startIndex and count are integers)', 'invalidValue');
  }
  return parsed.data;
}

/** The request body as JSON, sent as `application/scim+json` or `application/json`. */
async function body(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(scim\+)?json\s*(;|$)/i.test(type)) {
    throw new ScimError(415, `Send the body as ${SCIM_CONTENT_TYPE}`);
  }
  try {
    return JSON.parse(await c.req.text());
  } catch {
    throw new ScimError(400, 'The body is not valid JSON', 'invalidSyntax');
  }
}

function send(c: Context, resource: ScimJson, status: ContentfulStatusCode = 200): Response {
  return c.body(JSON.stringify(located(resource, baseOf(c))), status, {
    'Content-Type': `${SCIM_CONTENT_TYPE}; charset=utf-8`,
    'Cache-Control': 'no-store',
  });
}

function created(c: Context, endpoint: 'Users' | 'Groups', result: ScimWriteResult): Response {
  c.header('Location', `${baseOf(c)}/${endpoint}/${encodeURIComponent(String(result.resource.id))}`);
  return send(c, result.resource, 201);
}

function list(resources: ScimJson[]): ScimJson {
  return {
    schemas: [SCIM_LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function byId(resources: ScimJson[], id: string, kind: 'ResourceType' | 'Schema'): ScimJson {
  const found = resources.find((resource) => resource.id === id);
  if (!found) throw scimNotFound(kind, id);
  return found;
}

/** `meta.location` of Users and Groups (and of those in a list), under this server's URL. */
function located(resource: ScimJson, base: string): ScimJson {
  if (Array.isArray(resource.Resources)) {
    return {
      ...resource,
      Resources: resource.Resources.map((item: unknown) => (isJsonObject(item) ? located(item, base) : item)),
    };
  }
  const meta = resource.meta;
  if (!isJsonObject(meta) || typeof resource.id !== 'string') return resource;
  const endpoint = meta.resourceType === 'User' ? 'Users' : meta.resourceType === 'Group' ? 'Groups' : undefined;
  if (!endpoint) return resource;
  return { ...resource, meta: { ...meta, location: `${base}/${endpoint}/${encodeURIComponent(resource.id)}` } };
}

/** Every failure as a SCIM error body (RFC 7644 §3.12). */
function scimErrorResponse(c: Context, error: unknown, report?: UnexpectedErrorReporter): Response {
  let scimError: ScimError;
  if (error instanceof ScimError) scimError = error;
  else if (isAppError(error)) {
    scimError = new ScimError(error.status, error.message, error.status === 400 ? 'invalidValue' : undefined);
  } else if (error instanceof HTTPException) {
    scimError = new ScimError(error.status, error.message || 'Request refused');
  } else {
    report?.(error, { method: c.req.method, path: c.req.path });
    scimError = new ScimError(500, 'Internal error');
  }
  return c.body(JSON.stringify(scimError.toBody()), scimError.status as ContentfulStatusCode, {
    'Content-Type': `${SCIM_CONTENT_TYPE}; charset=utf-8`,
    'Cache-Control': 'no-store',
  });
}
