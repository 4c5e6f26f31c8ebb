import * as registry from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import * as copied from './gen-ai-attributes.ts';

// The GenAI names are copied (the registry's advice for unstable conventions): each copy must
// still say what the pinned registry says.
describe('GenAI attribute names', () => {
  it('match the OpenTelemetry semantic conventions registry', () => {
    expect({
      operation: copied.ATTR_GEN_AI_OPERATION_NAME,
      agentId: copied.ATTR_GEN_AI_AGENT_ID,
      agentName: copied.ATTR_GEN_AI_AGENT_NAME,
      conversation: copied.ATTR_GEN_AI_CONVERSATION_ID,
      provider: copied.ATTR_GEN_AI_PROVIDER_NAME,
      model: copied.ATTR_GEN_AI_REQUEST_MODEL,
      tool: copied.ATTR_GEN_AI_TOOL_NAME,
      callId: copied.ATTR_GEN_AI_TOOL_CALL_ID,
      toolType: copied.ATTR_GEN_AI_TOOL_TYPE,
      user: copied.ATTR_USER_ID,
      invoke: copied.GEN_AI_OPERATION_INVOKE_AGENT,
      execute: copied.GEN_AI_OPERATION_EXECUTE_TOOL,
    }).toEqual({
      operation: registry.ATTR_GEN_AI_OPERATION_NAME,
      agentId: registry.ATTR_GEN_AI_AGENT_ID,
      agentName: registry.ATTR_GEN_AI_AGENT_NAME,
      conversation: registry.ATTR_GEN_AI_CONVERSATION_ID,
      provider: registry.ATTR_GEN_AI_PROVIDER_NAME,
      model: registry.ATTR_GEN_AI_REQUEST_MODEL,
      tool: registry.ATTR_GEN_AI_TOOL_NAME,
      callId: registry.ATTR_GEN_AI_TOOL_CALL_ID,
      toolType: registry.ATTR_GEN_AI_TOOL_TYPE,
      user: registry.ATTR_USER_ID,
      invoke: registry.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
      execute: registry.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    });
  });
});
