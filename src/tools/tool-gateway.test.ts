import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXAMPLE_THREAD } from '../../test/support/example-workspace.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { requireGrant } from './grant-guard.ts';
import { ToolDeniedError } from './tool-errors.ts';
import type { GatewayRun } from './tool-gateway.ts';
import type { ToolDefinition } from './types.ts';

const run = (id: string, requesterId = 'bob'): GatewayRun => ({
  id,
  threadId: EXAMPLE_THREAD.id,
  requesterId,
  mode: 'user',
});
const signal = new AbortController().signal;

describe('ToolGateway', () => {
  let app: TestApp;
  const executed: string[] = [];

  beforeAll(async () => {
    const tool = (
      name: string,
      execute: ToolDefinition['execute'],
      effect: 'read' | 'write' = 'read',
    ): ToolDefinition => ({
      name,
      description: name,
      inputSchema: z.strictObject({ n: z.number().int().optional() }) as z.ZodType<unknown>,
      effect,
      audience: `behalf:tool:${name}`,
      scope: 'test',
      execute,
    });
    app = await createTestApp({
      limits: { toolTimeoutMs: 200 },
      extraTools: () => [
        tool('huge', async (_input, context) => {
          requireGrant(app.grants, context, 'behalf:tool:huge');
          executed.push(context.callId);
          return { content: { blob: 'x'.repeat(100_000) }, labels: ['public'] };
        }),
        tool('unlabelled', async () => ({ content: { ok: true }, labels: [] })),
        tool('slow', () => new Promise(() => {})),
        tool('refusing', async () => {
          throw new ToolDeniedError('not yours', ['source-rule']);
        }),
        tool('crashing', async () => {
          throw new Error('boom');
        }),
        tool('slow_reader', (_input, context) => {
          context.willRead(['hr-confidential']);
          return new Promise(() => {});
        }),
        tool('crashing_reader', async (_input, context) => {
          context.willRead(['sales-pipeline:emea', 'hr-confidential']);
          throw new Error('value 181000 is out of range');
        }),
        tool('refusing_reader', async (_input, context) => {
          context.willRead(['exec-confidential']);
          throw new ToolDeniedError('not yours');
        }),
        tool('under_declaring', async (_input, context) => {
          context.willRead(['hr-confidential']);
          return { content: { ok: true }, labels: ['public'] };
        }),
      ],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  async function terminalRecord(callId: string) {
    const records = (await app.store.audit.query({ action: 'tool.call' })).filter((record) => record.callId === callId);
    expect(records).toHaveLength(1);
    return records[0];
  }

  it('caps an oversized result with an explicit marker, and audits the full result hash', async () => {
    const result = await app.gateway.call(run('r1'), 'huge', {}, 'r1:c1', signal);
    expect(result.envelope).toMatchObject({ ok: true, truncated: true });
    const content = (result.envelope as { content: { preview: string } }).content;
    expect(content.preview.length).toBeLessThan(40_000);
    expect(content.preview).toMatch(/… \[truncated \d+ characters\]$/);
    expect(await terminalRecord('r1:c1')).toMatchObject({
      decision: 'allow',
      requester: 'bob',
      resultHash: expect.any(String),
    });
  });

  it('never executes one call id twice', async () => {
    await app.gateway.call(run('r2'), 'huge', {}, 'r2:c1', signal);
    const again = await app.gateway.call(run('r2'), 'huge', {}, 'r2:c1', signal);
    expect(again.envelope).toMatchObject({ ok: false, error: { code: 'denied' } });
    expect(executed.filter((id) => id === 'r2:c1')).toHaveLength(1);
    await terminalRecord('r2:c1');
  });

  it('lets a refused call use up its id, whether the reuse comes later or at the same time', async () => {
    await app.gateway.call(run('r9'), 'huge', { n: 'bad' }, 'r9:c1', signal);
    const later = await app.gateway.call(run('r9'), 'huge', {}, 'r9:c1', signal);
    expect(later.envelope).toMatchObject({ ok: false, error: { code: 'denied' } });
    expect(executed).not.toContain('r9:c1');
    expect(await terminalRecord('r9:c1')).toMatchObject({ decision: 'deny' });

    // Concurrent: exactly one of the two ends under the id; the other is recorded apart, and the
    // store never has to refuse a second terminal record (which would fail the run).
    const both = await Promise.all([
      app.gateway.call(run('r9'), 'huge', { n: 'bad' }, 'r9:c2', signal),
      app.gateway.call(run('r9'), 'huge', {}, 'r9:c2', signal),
    ]);
    expect(await terminalRecord('r9:c2')).toBeDefined();
    expect(both.map((result) => result.step.callId).sort()).toEqual([
      'r9:c2',
      expect.stringMatching(/^r9:c2#duplicate-/),
    ]);
    expect(executed.filter((id) => id === 'r9:c2').length).toBeLessThanOrEqual(1);
  });

  describe('every outcome after execution began carries what the call read or tried to read (issue 7.1)', () => {
    it.each([
      ['a timeout', 'slow_reader', 'timeout', ['hr-confidential']],
      ['an error quoting a value', 'crashing_reader', 'failed', ['hr-confidential', 'sales-pipeline:emea']],
      ['a refusal by the tool', 'refusing_reader', 'denied', ['exec-confidential']],
      ['an error before anything was declared', 'crashing', 'failed', ['unclassified']],
      ['a refusal before anything was declared', 'refusing', 'denied', ['unclassified']],
    ])('%s', async (_name, toolName, code, labels) => {
      const callId = `r10:${toolName}`;
      const result = await app.gateway.call(run('r10'), toolName, {}, callId, signal);
      expect(result.envelope).toMatchObject({ ok: false, error: { code }, labels });
      expect(result.labels).toEqual(labels);
      expect(result.step.labels).toEqual(labels);
      expect(await terminalRecord(callId)).toMatchObject({ labels });
    });

    it('a success never carries fewer labels than the call declared', async () => {
      const result = await app.gateway.call(run('r10'), 'under_declaring', {}, 'r10:under', signal);
      expect(result.labels).toEqual(['hr-confidential', 'public']);
    });

    it('a refusal before execution carries no labels', async () => {
      const result = await app.gateway.call(run('r10'), 'crashing_reader', { n: 'x' }, 'r10:invalid', signal);
      expect(result.labels).toEqual([]);
    });
  });

  it('labels a result without labels as unclassified (fail closed)', async () => {
    const result = await app.gateway.call(run('r3'), 'unlabelled', {}, 'r3:c1', signal);
    expect(result.labels).toEqual(['unclassified']);
  });

  it('refuses invalid arguments and unknown tools before anything runs, with one audit record each', async () => {
    const invalid = await app.gateway.call(run('r4'), 'huge', { n: 'one', user: 'alice' }, 'r4:c1', signal);
    expect(invalid.envelope).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(await terminalRecord('r4:c1')).toMatchObject({ decision: 'deny', requester: 'bob' });
    const unknown = await app.gateway.call(run('r4'), 'no_such_tool', {}, 'r4:c2', signal);
    expect(unknown.envelope).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
    expect(await terminalRecord('r4:c2')).toMatchObject({ decision: 'deny', resource: 'tool:no_such_tool' });
    expect(executed).not.toContain('r4:c1');
  });

  it('turns a tool timeout into an error result and an error record; the run can go on', async () => {
    const result = await app.gateway.call(run('r5'), 'slow', {}, 'r5:c1', signal);
    expect(result.envelope).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(await terminalRecord('r5:c1')).toMatchObject({ decision: 'error' });
  });

  it("maps a tool's own refusal to a deny with its policies, and a crash to an error", async () => {
    const refused = await app.gateway.call(run('r6'), 'refusing', {}, 'r6:c1', signal);
    expect(refused.envelope).toMatchObject({ ok: false, error: { code: 'denied' } });
    // Only the policies that refused: not the permits that let the call reach the tool.
    expect((await terminalRecord('r6:c1'))?.policies).toEqual(['source-rule']);
    expect(refused.envelope).toMatchObject({ error: { policies: ['source-rule'] } });
    const crashed = await app.gateway.call(run('r6'), 'crashing', {}, 'r6:c2', signal);
    expect(crashed.envelope).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringContaining('boom') },
    });
    expect(await terminalRecord('r6:c2')).toMatchObject({ decision: 'error' });
  });

  it('denies a requester who is no longer a member before anything runs', async () => {
    const result = await app.gateway.call(run('r7', 'dana'), 'huge', {}, 'r7:c1', signal);
    expect(result.envelope).toMatchObject({ ok: false, error: { code: 'denied' } });
    expect(executed).not.toContain('r7:c1');
    expect(await terminalRecord('r7:c1')).toMatchObject({ decision: 'deny', requester: 'dana' });
  });
});
