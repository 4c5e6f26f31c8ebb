import { Hono } from 'hono';
import { z } from 'zod';
import { EntityIdSchema, type SharePreviewWire, type ShareResponse } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readParams, readQuery } from '../request-validation.ts';
import type { RouteContext } from '../route-context.ts';
import type { HttpEnv } from '../types.ts';
import { toMessageWire } from '../wire-mappers.ts';

const MessageParams = z.strictObject({ id: EntityIdSchema });
const NoQuery = z.strictObject({});

/**
 * Sharing a private answer with its thread (an audited declassification, SPEC I5). The preview
 * tells the Share dialog who would newly see what and whether policy allows it. A message the
 * caller may not see is 404; someone else's answer is 403.
 */
export function messageRoutes(context: RouteContext): Hono<HttpEnv> {
  const router = new Hono<HttpEnv>();
  const { app } = context;

  router.get('/messages/:id/share', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, MessageParams);
    readQuery(c, NoQuery);
    const preview = await app.sharing.preview(user.id, id);
    const response: SharePreviewWire = {
      messageId: preview.messageId,
      allowed: preview.allowed,
      reason: preview.reason,
      policies: [...preview.policies],
      newReaders: preview.newReaders.map((reader) => ({ userId: reader.userId, labels: [...reader.labels] })),
      declassifies: [...preview.declassifies],
    };
    return c.json(response);
  });

  router.post('/messages/:id/share', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, MessageParams);
    const response: ShareResponse = { message: toMessageWire(await app.sharing.share(user.id, id)) };
    return c.json(response);
  });

  return router;
}
