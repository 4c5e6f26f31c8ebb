import type { z } from 'zod';
import type { DelegationGrant } from '../delegation/grant.ts';
import type { UserId } from '../identity/types.ts';
import type { LabelSourceWire } from '../protocol/answer-wire.ts';

/**
 * Who a tool call acts for, resolved by the gateway from the run (never from model output):
 * in user mode the human requester with their current groups; in self mode the agent principal
 * with the thread's configured groups, while `requester` still names the human who asked.
 */
export interface ActingPrincipal {
  /** `alice`, or `agent:<threadId>` in self mode. */
  id: string;
  groups: string[];
  mode: 'user' | 'self';
  /** The human who asked (both modes). */
  requester: UserId;
}

/**
 * Everything a tool execution receives; built by the gateway, never from the model. Who the
 * call acts for is in the grant only: a tool reads it with `requireGrant`.
 */
export interface ToolContext {
  /** The acting agent's id. */
  agent: string;
  threadId: string;
  runId: string;
  callId: string;
  /** The unforgeable in-process grant minted for this one call (I2). */
  grant: DelegationGrant;
  signal: AbortSignal;
  /**
   * Declares the labels of data this call is about to read, before reading it. Every outcome of
   * the call — result, error, refusal, timeout — carries them (SPEC I5): an error can quote the
   * data it failed on, and whether it happens at all can depend on that data.
   */
  willRead(labels: readonly string[]): void;
}

/** A data access a tool performed inside one call (a retrieved document, say), audited one by one. */
export interface ToolDataAccess {
  action: string;
  resource: string;
  decision: 'allow' | 'deny';
  policies: string[];
  labels?: string[];
  reason?: string;
  /** `data.query`: the statement's shape and hash (see `sql-statement-record.ts`). */
  statement?: string;
  statementHash?: string;
}

/** A tool's result: structured content for the model plus the sensitivity labels it carries. */
export interface ToolOutput {
  /** JSON-serializable content returned to the model. */
  content: unknown;
  /** Labels of the data the result came from (I5). An empty list is treated as unclassified. */
  labels: string[];
  /** Accesses made while producing the result; the gateway writes one audit record each (I6). */
  accesses?: ToolDataAccess[];
  /**
   * Which table (document, message, memory) of the result produced which label, for the label
   * origins of answers (issue 10 point 2). When absent, the gateway derives them from `accesses`
   * whose resource names a document, message or memory. Descriptive only: `labels` decide.
   */
  labelSources?: LabelSourceWire[];
}

/**
 * What the agent (and `GET /api/tools`) may know of a tool: enough to offer it to the model,
 * nothing to run it with. Only the gateway holds a tool's `execute`.
 */
export interface ToolDescriptor<Input = unknown> {
  name: string;
  description: string;
  /** Strict schema: unknown keys are refused, so arguments can never name the acting user. */
  inputSchema: z.ZodType<Input>;
  /** `write` tools need the requester's approval when the agent calls them (policy decides). */
  effect: 'read' | 'write';
}

/** A tool as registered with the gateway. */
export interface ToolDefinition<Input = unknown> extends ToolDescriptor<Input> {
  /** Grant audience: the resource URI this tool is for. */
  audience: string;
  /** Grant scope. */
  scope: string;
  /** Runs the call. A failure after `context.willRead` carries the declared labels, else `unclassified`. */
  execute(input: Input, context: ToolContext): Promise<ToolOutput>;
}

/** The tools offered to the agent, by description only (the agent never executes one itself). */
export interface ToolCatalog {
  describe(): ToolDescriptor[];
}

/** The set of tools the gateway knows. */
export interface ToolRegistry extends ToolCatalog {
  get(name: string): ToolDefinition | undefined;
  list(): ToolDefinition[];
  register(tool: ToolDefinition): void;
  /** Bumped when the set of tools changes. */
  readonly version: number;
}

/** A tool call's intent, written before it executes, so a crash leaves a trace (issue 4). */
export interface ToolCallIntent {
  callId: string;
  runId: string;
  tool: string;
  argsHash: string;
  startedAt: number;
  /** Set once the one terminal audit record for this call is written. */
  completedAt: number | null;
}

/** Storage port for tool-call intents. `begin` refuses a call id it has seen (no double execution). */
export interface ToolCallStore {
  /** Returns false when this call id already exists: the call must not execute again. */
  begin(intent: Omit<ToolCallIntent, 'completedAt'>): Promise<boolean>;
  complete(callId: string, at: number): Promise<void>;
  listIncomplete(filter?: { runId?: string }): Promise<ToolCallIntent[]>;
}

/** Why the gateway refused or failed a call, as the model sees it. */
export type ToolErrorCode =
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'denied'
  | 'approval_denied'
  | 'failed'
  | 'timeout'
  | 'audit_unavailable';

/**
 * What the model receives for every tool call, allowed or not. Errors are values returned to the
 * model (and audited), never crashes of the run. `policies` name the policies that decided.
 */
export type ToolResultEnvelope =
  | { ok: true; content: unknown; labels: string[]; truncated?: boolean }
  | { ok: false; error: { code: ToolErrorCode; message: string; policies: string[] }; labels?: string[] };
