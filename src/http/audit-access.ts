import type { App } from '../app/create-app.ts';
import type { UserId } from '../identity/types.ts';

/** Whether `userId` may read the whole audit log (policy `readAuditLog`; auditors by default). */
export async function canReadAudit(app: App, userId: UserId): Promise<boolean> {
  const decision = await app.policy.authorize({
    principal: { type: 'User', id: userId },
    action: 'readAuditLog',
    resource: { type: 'AuditLog', id: 'global' },
    context: { viaAgent: false },
  });
  return decision.effect === 'allow';
}
