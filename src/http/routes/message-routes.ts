import { Hono } from 'hono';
import { z } from 'zod';
import { EntityIdSchema, ShareBody, type SharePreviewWire, type ShareResponse } from '../../protocol/wire.ts';
import { currentAuth } from '../middleware/authenticate.ts';
import { readOptionalJsonBody, readParams, readQuery } from '../request-validation.ts';
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
      readers: [...preview.readers],
      version: preview.version,
    };
    return c.json(response);
  });

  router.post('/messages/:id/share', async (c) => {
    const { user } = currentAuth(c);
    const { id } = readParams(c, MessageParams);
    // The body is optional: without a version the share releases to the audience as it is now.
    const body = await readOptionalJsonBody(c, ShareBody);
    const response: ShareResponse = { message: toMessageWire(await app.sharing.share(user.id, id, body.version)) };
    return c.json(response);
  });

  return router;
}
