import { AppError } from '../protocol/errors.ts';
import type { PolicyAction, ResourceRef } from './types.ts';

// Resources as people type them: `behalf policy check --resource`, `behalf policy test` cases and
// the administrator's "would this person be allowed" form share this one grammar.
/** Resource types by the name an administrator types (`label:…`, `Tool::"sql"`). */
export const RESOURCE_TYPES = {
  thread: 'Thread',
  tool: 'Tool',
  document: 'Document',
  label: 'Label',
  message: 'Message',
  auditlog: 'AuditLog',
  agent: 'Agent',
  agentdirectory: 'AgentDirectory',
  workspace: 'Workspace',
} as const satisfies Record<string, ResourceRef['type']>;

/** The resource type each action applies to (the Cedar schema's `appliesTo`). */
export const ACTION_RESOURCE: Readonly<Partial<Record<PolicyAction, ResourceRef['type']>>> = {
  readThread: 'Thread',
  postMessage: 'Thread',
  invokeAgent: 'Thread',
  manageThread: 'Thread',
  useTool: 'Tool',
  useToolUnattended: 'Tool',
  readDocument: 'Document',
  readLabel: 'Label',
  declassifyLabel: 'Label',
  recordStatement: 'Label',
  shareAnswer: 'Message',
  readAuditLog: 'AuditLog',
  provisionAgent: 'AgentDirectory',
  assignAgent: 'Agent',
  administer: 'Workspace',
};

export const SINGLETONS: ReadonlySet<ResourceRef['type']> = new Set(['AuditLog', 'AgentDirectory', 'Workspace']);

/**
 * Parses a resource as an administrator types it: `label:patient-record`, `Tool::"sql"`,
 * `thread:<id>`, `auditlog`, `workspace` — or, given the action, a bare id (`patient-record` for
 * `readLabel`; `ward:3` too, since `ward` is no resource type). Throws
 * `validation_failed` for anything else, or a type the action does not apply to.
 */
export function parsePolicyResource(text: string, action?: PolicyAction): ResourceRef {
  const trimmed = text.trim();
  const expected = action ? ACTION_RESOURCE[action] : undefined;
  const typeName = (name: string) => RESOURCE_TYPES[name.toLowerCase() as keyof typeof RESOURCE_TYPES];
  let type: ResourceRef['type'] | undefined;
  let id: string | undefined;
  const typed = /^([A-Za-z]+)(?:::"([^"]+)"|:(.+))$/.exec(trimmed);
  if (typed && typeName(typed[1] as string)) {
    type = typeName(typed[1] as string);
    id = (typed[2] ?? typed[3])?.trim();
  } else if (typeName(trimmed) && SINGLETONS.has(typeName(trimmed))) {
    type = typeName(trimmed);
    id = 'global';
  } else if (expected && trimmed.length > 0 && !/\s/.test(trimmed)) {
    type = expected;
    id = trimmed;
  }
  if (!type || !id) {
    throw new AppError(
      'validation_failed',
      `resource: write it like label:<id>, tool:sql or Tool::"sql" (types: ${Object.keys(RESOURCE_TYPES).join(', ')})`,
    );
  }
  if (expected && type !== expected) {
    throw new AppError(
      'validation_failed',
      `resource: ${action} applies to a ${expected} (${exampleOf(expected)}), not a ${type}`,
    );
  }
  if (SINGLETONS.has(type)) return { type, id: 'global' } as ResourceRef;
  return { type, id } as ResourceRef;
}

export function exampleOf(type: ResourceRef['type']): string {
  const name = Object.entries(RESOURCE_TYPES).find(([, value]) => value === type)?.[0] ?? type.toLowerCase();
  return SINGLETONS.has(type) ? name : `${name}:<id>`;
}

/** `label:patient-record`, `auditlog` — the text an audit record names a resource by. */
export function resourceText(resource: ResourceRef): string {
  const name = Object.entries(RESOURCE_TYPES).find(([, value]) => value === resource.type)?.[0] ?? resource.type;
  return SINGLETONS.has(resource.type) ? name : `${name}:${resource.id}`;
}
