import type { App } from '../app/create-app.ts';
import type { UserId } from '../identity/types.ts';

/**
 * Whether `userId` may read the whole audit log (policy `readAuditLog`; auditors by default).
 * The rule lives in the audit domain's `AuditReads`; this is the edge's shorthand for it.
 */
export function canReadAudit(app: App, userId: UserId): Promise<boolean> {
  return app.auditReads.isAuditor(userId);
}
