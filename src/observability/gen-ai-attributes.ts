/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (status: development) and
 * Behalf's own. The GenAI names are copied rather than imported from
 * `@opentelemetry/semantic-conventions/incubating`, as that package recommends for unstable
 * conventions (its incubating entry point may break in a minor release);
 * `gen-ai-attributes.test.ts` checks each copy against the pinned registry.
 */

/** `invoke_agent` or `execute_tool` here. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** The thread id: every run of one thread belongs to one conversation. */
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
/** The human the agent acted for: the run's requester (I1), in every thread mode. */
export const ATTR_USER_ID = 'user.id';

export const GEN_AI_OPERATION_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
/** Every Behalf tool is a function the gateway executes on the agent's side. */
export const GEN_AI_TOOL_TYPE_FUNCTION = 'function';

/** The run's id: joins a trace to the run's page and its audit records. */
export const ATTR_BEHALF_RUN_ID = 'behalf.run.id';
/** How the run ended: `done`, `failed` or `cancelled`. */
export const ATTR_BEHALF_RUN_STATUS = 'behalf.run.status';
/** The thread's agent mode: `user` (delegated) or `self` (self-authorized). */
export const ATTR_BEHALF_MODE = 'behalf.mode';
/** The gateway's decision on a tool call: `allow`, `deny`, `error`. */
export const ATTR_BEHALF_DECISION = 'behalf.decision';
/** The policies that decided a tool call. */
export const ATTR_BEHALF_POLICIES = 'behalf.policies';
/** Labels of what a call or a run read (never the data itself). */
export const ATTR_BEHALF_LABELS = 'behalf.labels';
/** The hash of a tool call's arguments, as in its audit record (I6): the arguments never leave. */
export const ATTR_BEHALF_ARGS_HASH = 'behalf.args_hash';
/** Who an answer was delivered to: `thread` or `requester` (shown privately). */
export const ATTR_BEHALF_DISCLOSURE_AUDIENCE = 'behalf.disclosure.audience';
/** An approval's outcome: `requested`, `approved`, `denied`. */
export const ATTR_BEHALF_APPROVAL_OUTCOME = 'behalf.approval.outcome';
