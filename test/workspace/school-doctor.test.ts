import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseWorkspace } from '../../src/app/workspace-doctor.ts';
import { policyTestCommand } from '../../src/cli/commands/policy-test.ts';
import { policyValidateCommand } from '../../src/cli/commands/policy-validate.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import type { CommandOutput } from '../../src/cli/output.ts';
import { SCHOOL_DIR } from './school/school-database.ts';

/** `behalf doctor`, `policy validate` and `policy test` on examples/school, as its README promises. */
describe('the school example passes its own checks', () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  const capture = (): CommandOutput & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, out: (line) => lines.push(line), progress: () => undefined, error: (line) => lines.push(line) };
  };

  it('behalf doctor finds no problem (its embedded source built from the setup files)', async () => {
    root = await mkdtemp(join(tmpdir(), 'behalf-school-doctor-'));
    const { findings } = await diagnoseWorkspace(SCHOOL_DIR, { dataDir: join(root, 'data'), env: {} });
    expect(findings).toEqual([]);
  }, 120_000);

  it('its policies validate, and every case of policies/tests.yaml passes', async () => {
    const validate = capture();
    expect(await policyValidateCommand({ workspace: SCHOOL_DIR }, validate)).toBe(EXIT.ok);
    expect(validate.lines.join('\n')).toMatch(/class:\{class_id\}/);
    const test = capture();
    expect(
      await policyTestCommand({ workspace: SCHOOL_DIR, file: join(SCHOOL_DIR, 'policies/tests.yaml') }, test),
    ).toBe(EXIT.ok);
    expect(test.lines.filter((line) => line.startsWith('✗'))).toEqual([]);
    expect(test.lines.at(-1)).toMatch(/^30 passed, 0 failed/);
  });
});
