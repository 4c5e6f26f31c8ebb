import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResponse, AuditVerifyResponse, MessageItemWire, MessagesResponse } from '../../src/protocol/wire.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { ok, postMessage, signIn, waitForRun } from '../support/behalf-client.ts';
import { type HoldMcpServer, holdServerConfig, startHoldMcpServer } from '../support/hold-mcp-server.ts';
import { type BehalfProcess, BehalfProcesses } from '../support/spawn-behalf.ts';

const THREAD = ACME_THREAD.id;

/**
 * Issue 4, point 3 on the embedded default (SPEC §11 "Crash"): `behalf serve --data` killed with
 * SIGKILL while a run is inside a tool call, then restarted on the same directory. The restart
 * ends the run `failed`, closes the cut-off call with one `unknown` record, keeps everything
 * acknowledged before the kill, and leaves a chain that verifies.
 */
describe('kill -9 of the embedded server, then restart on the same data directory', () => {
  const processes = new BehalfProcesses();
  let hold: HoldMcpServer;
  let dataDir: string;
  let env: Record<string, string>;
  let first: BehalfProcess;
  let restarted: BehalfProcess;
  const tokens: Record<string, string> = {};
  /** Messages the server acknowledged (201) before it was killed. */
  const acknowledged: string[] = [];
  let heldRun: string;
  let answeredRun: string;

  beforeAll(async () => {
    hold = await startHoldMcpServer();
    dataDir = await mkdtemp(join(tmpdir(), 'behalf-sqlite-crash-'));
    env = { BEHALF_MCP_SERVERS: holdServerConfig(hold) };
    first = await processes.spawn({ name: 'embedded', dataDir, env });
    for (const user of ['alice', 'bob', 'ivy']) tokens[user] = await signIn(first.url, user);

    for (const [index, user] of ['alice', 'bob', 'alice', 'bob', 'alice'].entries()) {
      const posted = await postMessage(first.url, tokens[user] as string, THREAD, `before the crash ${index}`);
      acknowledged.push(posted.message.id);
    }
    const answered = await postMessage(first.url, tokens.bob as string, THREAD, '@agent /tool crm_ping {}');
    answeredRun = answered.run?.id as string;
    const { run } = await waitForRun(first.url, tokens.bob as string, answeredRun, ['done']);
    acknowledged.push(answered.message.id, run.answerMessageId as string);

    const held = await postMessage(
      first.url,
      tokens.bob as string,
      THREAD,
      '@agent /tool crm_hold {"key": "sqlite-1"}',
    );
    heldRun = held.run?.id as string;
    acknowledged.push(held.message.id);
    await hold.waitForCall('sqlite-1');
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    restarted = await processes.spawn({ name: 'restarted', dataDir, env });
  });

  afterAll(async () => {
    await processes.killAll();
    await hold?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ends the interrupted run failed at restart, and says so', async () => {
    await restarted.waitForOutput('Ended 1 runs interrupted by the previous stop.');
    // Sessions survived too: the token issued before the crash still works.
    const { run } = await waitForRun(restarted.url, tokens.bob as string, heldRun, ['failed', 'done', 'cancelled'], {
      timeoutMs: 1000,
    });
    expect(run).toMatchObject({ status: 'failed', error: 'interrupted by a restart' });
  });

  it('writes exactly one unknown terminal record for the cut-off call, which never runs again', async () => {
    const { records } = await ok<AuditResponse>(
      restarted.url,
      tokens.ivy as string,
      'GET',
      `/api/audit?run=${heldRun}`,
    );
    const calls = records.filter((record) => record.action === 'tool.call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ decision: 'unknown', requester: 'bob', resource: 'tool:crm_hold' });
    hold.release('sqlite-1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(hold.callsOf('sqlite-1')).toHaveLength(1);
  });

  it('keeps every message acknowledged before the kill', async () => {
    const { messages } = await ok<MessagesResponse>(
      restarted.url,
      tokens.bob as string,
      'GET',
      `/api/threads/${THREAD}/messages?limit=500`,
    );
    const ids = new Set(messages.map((message: MessageItemWire) => message.id));
    for (const id of acknowledged) expect(ids.has(id), id).toBe(true);
    const texts = messages.flatMap((message) => ('text' in message ? [message.text] : []));
    expect(texts.filter((text) => text.startsWith('before the crash'))).toHaveLength(5);
  });

  it('with --port 0, names the port it bound as the issuer of its grants and metadata', async () => {
    const metadata = (await (await fetch(`${restarted.url}/.well-known/oauth-authorization-server`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(metadata.issuer).toBe(restarted.url);
    expect(metadata.jwks_uri).toBe(`${restarted.url}/.well-known/jwks.json`);
  });

  it('leaves a chain that verifies, and stops cleanly on SIGTERM', async () => {
    expect(
      await ok<AuditVerifyResponse>(restarted.url, tokens.ivy as string, 'GET', '/api/audit/verify'),
    ).toMatchObject({
      ok: true,
    });
    expect(await restarted.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
