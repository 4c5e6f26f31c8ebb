import { Hono } from 'hono';
import { z } from 'zod';
import type { Memory } from '../../memory/types.ts';
import type { MemoriesResponse, MemoryWire } from '../../protocol/memory-wire.ts';
import { EntityIdSchema } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readParams, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';

const ThreadParams = z.strictObject({ id: EntityIdSchema });
const MemoryParams = z.strictObject({ id: EntityIdSchema, memoryId: EntityIdSchema });
const NoQuery = z.strictObject({});

/**
 * A thread's agent memory (issue 10 point 4): `GET /api/threads/:id/memories` lists what the
 * caller is cleared for; `DELETE /api/threads/:id/memories/:memoryId` deletes one remembered
 * from the caller's own request (audited). Rules in `MemoryService`.
 */
export function memoryRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();

  router.get('/threads/:id/memories', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, ThreadParams);
    readQuery(c, NoQuery);
    const memories = await context.app.memories.list(user.id, id);
    const response: MemoriesResponse = { memories: memories.map((memory) => toMemoryWire(memory, user.id)) };
    return c.json(response);
  });

  router.delete('/threads/:id/memories/:memoryId', async (c) => {
    const { user } = currentAuth(c);
    const { id, memoryId } = readParams(c, MemoryParams);
    await context.app.memories.delete(user.id, id, memoryId);
    return c.body(null, 204);
  });

  return router;
}

function toMemoryWire(memory: Memory, reader: string): MemoryWire {
  return {
    id: memory.id,
    threadId: memory.threadId,
    text: memory.text,
    requesterId: memory.requesterId,
    createdAt: memory.createdAt,
    labels: [...memory.labels],
    origin: {
      runId: memory.origin.runId,
      callId: memory.origin.callId,
      messageId: memory.origin.messageId,
      sources: memory.origin.sources.map((source) => ({ ...source, labels: [...source.labels] })),
    },
    deletable: memory.requesterId === reader,
  };
}
