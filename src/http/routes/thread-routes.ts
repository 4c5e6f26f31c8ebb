import { Hono } from 'hono';
import { z } from 'zod';
import { viewRun } from '../../agent/run-view.ts';
import { AppError } from '../../protocol/errors.ts';
import {
  AddMemberBody,
  type ApprovalsResponse,
  CreateThreadBody,
  EntityIdSchema,
  ListMessagesQuery,
  type MessagesResponse,
  PostMessageBody,
  type PostMessageResponse,
  type ThreadsResponse,
  type ThreadWire,
  UpdateThreadBody,
  UserIdSchema,
} from '../../protocol/wire.ts';
import { addressesAgent } from '../../threads/mentions.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readJsonBody, readParams, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toApprovalWire, toMessageItemWire, toMessageWire, toRunWire, toThreadWire } from '../wire-mappers.ts';

const ThreadParams = z.strictObject({ id: EntityIdSchema });
const MemberParams = z.strictObject({ id: EntityIdSchema, user: UserIdSchema });
const NoQuery = z.strictObject({});

/**
 * Threads, membership, messages and the caller's pending approvals in a thread. Authorization is
 * the engine's (`ThreadService`): non-members get 404 for a thread they may not know exists,
 * members who may not manage it get 403.
 */
export function threadRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;

  router.get('/threads', async (c) => {
    const { user } = currentAuth(c);
    readQuery(c, NoQuery);
    const response: ThreadsResponse = { threads: (await app.threads.listForUser(user.id)).map(toThreadWire) };
    return c.json(response);
  });

  router.post('/threads', async (c) => {
    const { user } = currentAuth(c);
    const body = await readJsonBody(c, CreateThreadBody);
    const thread = await app.threads.create(user.id, body);
    return c.json(toThreadWire(thread) satisfies ThreadWire, 201);
  });

  router.get('/threads/:id', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    return c.json(toThreadWire(await app.threads.get(user.id, id)) satisfies ThreadWire);
  });

  router.patch('/threads/:id', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    const body = await readJsonBody(c, UpdateThreadBody);
    return c.json(toThreadWire(await app.threads.update(user.id, id, body)) satisfies ThreadWire);
  });

  router.post('/threads/:id/members', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    const body = await readJsonBody(c, AddMemberBody);
    return c.json(toThreadWire(await app.threads.addMember(user.id, id, body.user)) satisfies ThreadWire);
  });

  router.delete('/threads/:id/members/:user', async (c) => {
    const { user } = currentAuth(c);
    const params = readParams(c, MemberParams);
    await app.threads.removeMember(user.id, params.id, params.user);
    return c.body(null, 204);
  });

  router.get('/threads/:id/messages', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    const query = readQuery(c, ListMessagesQuery);
    const items = await app.threads.listMessages(user.id, id, {
      ...(query.after !== undefined ? { afterSeq: query.after } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    });
    const response: MessagesResponse = { messages: items.map(toMessageItemWire) };
    return c.json(response);
  });

  router.post('/threads/:id/messages', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    const body = await readJsonBody(c, PostMessageBody);
    if (addressesAgent(body.text)) {
      const decision = context.agentLimiter.take(user.id);
      if (!decision.ok) {
        throw new AppError('rate_limited', 'Too many requests to the agent; try again shortly', {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
    }
    const { message, run } = await app.postMessage(user.id, id, body.text, { audience: body.audience ?? 'me' });
    const response: PostMessageResponse = {
      message: toMessageWire(message),
      ...(run ? { run: toRunWire(viewRun(run, user.id)) } : {}),
    };
    return c.json(response, 201);
  });

  router.get('/threads/:id/approvals', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    readQuery(c, NoQuery);
    await app.threads.authorizeThread(user.id, id, 'readThread');
    const response: ApprovalsResponse = {
      approvals: (await app.agent.approvals.pending(user.id, id)).map(toApprovalWire),
    };
    return c.json(response);
  });

  return router;
}
