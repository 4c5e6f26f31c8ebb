import { generateText, type ModelMessage, stepCountIs } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeExampleTools } from '../../../test/support/example-workspace.ts';
import { createOfflineModel } from './offline-model.ts';

// How the AI SDK loop pauses a call for approval (a tool's `needsApproval`) and resumes it: the
// model must pick up where it left off from the prompt alone.
describe('offline model: approvals', () => {
  async function pausedTicket() {
    const { tools, calls } = fakeExampleTools({}, { approveWrites: true });
    const messages: ModelMessage[] = [{ role: 'user', content: '@agent file a ticket: printer on fire' }];
    const options = {
      model: createOfflineModel(),
      tools,
      stopWhen: stepCountIs(5),
    };
    const paused = await generateText({ ...options, messages });
    const request = paused.content.find((part) => part.type === 'tool-approval-request');
    if (request?.type !== 'tool-approval-request') throw new Error('expected an approval request');
    const resume = (approved: boolean) =>
      generateText({
        ...options,
        messages: [
          ...messages,
          ...paused.response.messages,
          { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved }] },
        ],
      });
    return { paused, calls, resume };
  }

  it('pauses before the write and runs it once approved', async () => {
    const { paused, calls, resume } = await pausedTicket();
    expect(paused.finishReason).toBe('tool-calls');
    expect(calls).toEqual([]);
    const resumed = await resume(true);
    expect(calls.map((call) => call.toolName)).toEqual(['create_ticket']);
    expect(resumed.text).toContain('I filed ticket **TCK-1**: “Printer on fire”');
  });

  it('says the call was not approved when the requester declines', async () => {
    const { calls, resume } = await pausedTicket();
    const resumed = await resume(false);
    expect(calls).toEqual([]);
    expect(resumed.text).toMatch(/^The `create_ticket` call was not approved/);
  });
});
