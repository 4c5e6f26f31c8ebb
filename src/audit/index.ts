export { AuditLog } from './audit-log.ts';
export { chainRecords, GENESIS_HASH, hashRecord, normalizeRecord } from './chain.ts';
export { type AuditExportFormat, exportAudit, toOtelSpan } from './export.ts';
export { MemoryAuditLogStore } from './memory-audit-store.ts';
export type {
  AuditDecision,
  AuditEntry,
  AuditLogStore,
  AuditMode,
  AuditQuery,
  AuditRecord,
  ChainVerification,
} from './types.ts';
export { type AuditAnchor, verifyChain } from './verify.ts';
