import type { PolicyEngine } from '../../policy/types.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { ActingPrincipal } from '../types.ts';
import { policyPrincipalOf } from './document-access.ts';
import { sqlStatementShape } from './sql-statement-shape.ts';

/** What a `data.query` audit record says about its statement. */
export interface StatementRecord {
  /** The statement's shape (`sqlStatementShape`), when policy lets the record keep it. */
  statement?: string;
  /** SHA-256 of the exact statement text: always kept, so a statement held elsewhere can be matched. */
  statementHash: string;
}

/**
 * The rule for SQL statements in the audit log (I6: hashes of arguments, never raw values).
 * Model-written SQL can embed values from the run's context (`WHERE salary > 180000`), and the
 * tool cannot see which labels that context held, so the record never keeps the raw text: it
 * keeps the statement's hash, and its shape with every literal replaced only when policy
 * `recordStatement` allows it for every label the statement read. No labels (nothing
 * classified), a shape that cannot be computed, or any deny: hash only (fail closed).
 */
export async function statementRecord(
  policy: PolicyEngine,
  principal: ActingPrincipal,
  threadId: string,
  text: string,
  labels: readonly string[],
): Promise<StatementRecord> {
  const statementHash = sha256Hex(text);
  const shape = sqlStatementShape(text);
  if (shape === null || labels.length === 0) return { statementHash };
  const reference = policyPrincipalOf(principal, threadId);
  const decisions = await policy.authorizeMany(
    [...new Set(labels)].map((label) => ({
      principal: reference,
      action: 'recordStatement' as const,
      resource: { type: 'Label' as const, id: label },
      context: { viaAgent: true, mode: principal.mode },
    })),
  );
  return decisions.every((decision) => decision.effect === 'allow')
    ? { statement: shape, statementHash }
    : { statementHash };
}
