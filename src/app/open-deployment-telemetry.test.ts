import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_THREAD } from '../../test/support/example-workspace.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../../test/support/otlp-receiver.ts';
import { openDeployment } from './open-deployment.ts';

/**
 * Issue 11 item 8, as `behalf serve` wires it: a serving deployment whose environment names an
 * OTLP endpoint exports its runs there; without one nothing is built, even when the process
 * environment (which the OpenTelemetry exporter would read on its own) names one.
 */
describe('a serving deployment and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let data: string;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'behalf-otel-'));
    receiver = await startOtlpReceiver();
  }, 60_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
    await rm(data, { recursive: true, force: true });
  });

  async function serveOneRun(env: Record<string, string>): Promise<string> {
    const deployment = await openDeployment({ dataDir: data, env, serve: true, exclusive: true });
    try {
      const { run } = await deployment.app.postMessage('bob', EXAMPLE_THREAD.id, '@agent /sql SELECT 1');
      await deployment.app.drain();
      return run?.id ?? '';
    } finally {
      await deployment.close();
    }
  }

  it('exports the runs it serves, flushed by close()', async () => {
    const runId = await serveOneRun({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    const spans = receiver.spans.filter((span) => span.attributes['behalf.run.id'] === runId);
    expect(spans.map((span) => span.name).sort()).toEqual(['execute_tool sql', 'invoke_agent behalf-agent']);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({ 'user.id': 'bob', 'gen_ai.conversation.id': EXAMPLE_THREAD.id });
      expect(span.resource['service.name']).toBe('behalf');
    }
  }, 60_000);

  it('builds nothing and sends nothing when its environment names no endpoint', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.endpoint);
    const before = receiver.bodies.length;
    const runId = await serveOneRun({});
    expect(runId).not.toBe('');
    expect(receiver.bodies).toHaveLength(before);
  }, 60_000);
});
