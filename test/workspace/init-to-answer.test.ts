import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageItemWire } from '../../src/protocol/wire.ts';
import { initWorkspace } from '../../src/workspace/init-workspace.ts';
import { messageAsSeen, postMessage, signIn, waitForRun } from '../support/behalf-client.ts';
import { type BehalfProcess, BehalfProcesses } from '../support/spawn-behalf.ts';

/**
 * Issue 9, "done when": from `behalf init` to the agent answering from the workspace's own
 * database under its own row-level security, through `behalf serve --workspace` (here
 * `BEHALF_WORKSPACE`) as an operator runs it. The init sample writes RLS the Supabase way
 * (`auth.uid()` from `request.jwt.claims`), so each person sees their own projects only.
 */
describe('behalf init, then serve the workspace: the agent answers as each person', () => {
  const processes = new BehalfProcesses();
  let root: string;
  let server: BehalfProcess;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'behalf-init-'));
    await initWorkspace(join(root, 'ws'));
    server = await processes.spawn({
      name: 'workspace',
      dataDir: join(root, 'data'),
      env: { BEHALF_WORKSPACE: join(root, 'ws') },
    });
    for (const person of ['ada', 'linus']) tokens[person] = await signIn(server.url, person);
  }, 120_000);
  afterAll(async () => {
    await processes.killAll();
    await rm(root, { recursive: true, force: true });
  });

  const ask = async (person: string, text: string) => {
    const token = tokens[person] as string;
    const posted = await postMessage(server.url, token, 'thr_welcome', text);
    const { run } = await waitForRun(server.url, token, posted.run?.id as string, ['done']);
    return run;
  };
  const view = (person: string, id: string | null) =>
    messageAsSeen(server.url, tokens[person] as string, 'thr_welcome', id);
  const projectNames = (item: MessageItemWire | undefined) =>
    item && !item.hidden ? [...item.text.matchAll(/^\| \d+ \| ([^|]+?) \|/gm)].map((match) => match[1]) : [];

  it('prints the workspace and its people', () => {
    expect(server.output()).toMatch(/workspace: My team/);
    expect(server.output()).toMatch(/ada\s+Ada Lovelace/);
  });

  it("answers Ada from the rows her claims let her see, privately, since Linus isn't cleared for internal data", async () => {
    const run = await ask('ada', '@agent list the projects');
    expect(run.labels).toContain('internal');
    expect(projectNames(await view('ada', run.answerMessageId)).sort()).toEqual(['Analytical engine', 'Compiler']);
    expect((await view('linus', run.answerMessageId))?.hidden).toBe(true);
  }, 60_000);

  it('answers Linus with his own project only, to a thread whose other members are cleared', async () => {
    const run = await ask('linus', '@agent list the projects');
    const own = await view('linus', run.answerMessageId);
    expect(projectNames(own)).toEqual(['Vitamin C']);
    const adas = await view('ada', run.answerMessageId);
    expect(adas?.hidden ? adas.reason : 'shown').toBe('shown');
    expect(projectNames(adas)).toEqual(['Vitamin C']);
  }, 60_000);
});
