import { describe } from 'vitest';
import type { Store } from '../../../../src/storage/types.ts';
import { describeApprovalConformance } from './approval-conformance.ts';
import { describeAuditConformance } from './audit-conformance.ts';
import { describeDelegationConformance } from './delegation-conformance.ts';
import { describeDocumentConformance } from './document-conformance.ts';
import { describeIdentityConformance } from './identity-conformance.ts';
import { describeMemoryConformance } from './memory-conformance.ts';
import { describeMessageConformance } from './message-conformance.ts';
import { describeRunConformance } from './run-conformance.ts';
import { describeThreadConformance } from './thread-conformance.ts';
import { describeToolCallConformance } from './tool-call-conformance.ts';

/**
 * The one suite every `Store` adapter passes. Registers vitest blocks covering every method of
 * every port; `open` must return a fresh, empty, migrated store for each test, and `cleanup`
 * must release it (close connections, delete files).
 */
export function describeStoreConformance(
  adapterName: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
): void {
  describe(`Store conformance: ${adapterName}`, () => {
    // Each domain in its own block, so its fresh-store hooks apply to its tests only.
    describe('identity', () => describeIdentityConformance(open));
    describe('threads', () => describeThreadConformance(open));
    describe('messages', () => describeMessageConformance(open));
    describe('runs', () => describeRunConformance(open));
    describe('approvals', () => describeApprovalConformance(open));
    describe('documents', () => describeDocumentConformance(open));
    describe('audit', () => describeAuditConformance(open));
    describe('delegation', () => describeDelegationConformance(open));
    describe('tool calls', () => describeToolCallConformance(open));
    describe('memories', () => describeMemoryConformance(open));
  });
}
