export { AuditCheckpointer, type CheckpointOutcome } from './audit-checkpointer.ts';
export { AuditCheckpoints, type LatestCheckpoint } from './audit-checkpoints.ts';
export { AuditLog } from './audit-log.ts';
export { chainRecords, GENESIS_HASH, hashRecord, normalizeRecord } from './chain.ts';
export { type CheckpointSigner, createCheckpointSigner } from './checkpoint-signer.ts';
export { type AuditExportFormat, exportAudit, toOtelSpan } from './export.ts';
export { MemoryAuditLogStore } from './memory-audit-store.ts';
export type {
  AuditCheckpoint,
  AuditDecision,
  AuditEntry,
  AuditLogStore,
  AuditMode,
  AuditQuery,
  AuditRecord,
  AuditVerification,
  ChainVerification,
  CheckpointCheck,
} from './types.ts';
export { type AuditAnchor, verifyChain } from './verify.ts';
export { verifyAuditLog } from './verify-audit-log.ts';
