/**
 * The agent principal of a self-authorized thread that has no provisioned identity assigned: it
 * holds no group, so it can do only what policy grants anyone (issue 7 point 2).
 */
export function unassignedAgentId(threadId: string): string {
  return `unassigned@${threadId}`;
}
