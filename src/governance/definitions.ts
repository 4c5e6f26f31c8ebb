import type { GovernanceReport } from './types.ts';

/** How the report's numbers are defined; shipped inside every report for the plot and the CLI. */
export const GOVERNANCE_DEFINITIONS: GovernanceReport['definitions'] = {
  intent:
    'A kind of access the agent performed in a thread: one tool x one label family it touched (sql x sales-pipeline), ' +
    'from the tool calls in the audit log, allowed or denied; a thread whose agent used no tool counts one intent, converse. ' +
    'A self-authorized design provisions one agent identity per distinct member set x intent.',
  lcd: 'Least common denominator: the identity holds only the groups every current member holds (intersection).',
  union:
    'The "make it work" grant: the identity holds every group of every current member (union), so it can do for anyone ' +
    'what only some member, or no member alone, may do (confused deputy).',
  replay:
    'Every user-mode tool call, data query and document retrieval made for a human is re-decided by the current policy set ' +
    "for the human and for the thread's LCD and union identities (Cedar Agent principals holding those groups). " +
    'Capability lost: the human got it, the identity would be denied. Over-privileged: the human was denied (and still is), ' +
    'the identity would be allowed.',
  dataAccess:
    'Row-level filtering happens in the data source and arguments are only hashed, so a SQL access is re-decided on label ' +
    'clearance: lost when the human got a label the identity is not cleared for; over-privileged when the identity is cleared ' +
    'for a label this resource was seen to carry elsewhere in the log that the human neither got nor is cleared for. ' +
    'Over-privilege is therefore a lower bound.',
  auditNaming:
    'Today a record lacks a human when it is a system action (no requester) or the agent acted as itself (self mode: the ' +
    'requester is only a claim). In a self-authorized design every record the agent makes names only the agent.',
};
