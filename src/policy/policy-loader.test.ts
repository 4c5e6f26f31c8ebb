import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../protocol/errors.ts';
import { PRODUCT_POLICY_DIR } from './policy-files.ts';
import { loadPolicyDirectory } from './policy-loader.ts';

/** The default workspace's set: Behalf's own, its compiled catalogue and admins, its policies folder. */
const POLICY_IDS = [
  'admins-administer-workspace',
  'admins-provision-agents',
  'agent-uses-tools',
  'agent-writes-need-approval',
  'assigners-assign-agent',
  'auditors-read-audit-log',
  'declassify-acl-by-document-readers',
  'declassify-engineering-internal-by-engineering-managers',
  'declassify-exec-confidential-stewards',
  'declassify-hr-confidential-stewards',
  'declassify-public',
  'declassify-sales-pipeline-by-sales-managers',
  'document-public',
  'document-reader-groups',
  'document-reader-users',
  'label-acl-document-readers',
  'label-engineering-internal-readers',
  'label-exec-confidential-readers',
  'label-hr-confidential-readers',
  'label-public-everyone',
  'label-sales-pipeline-region-readers',
  'label-sales-pipeline-sales-managers',
  'requester-shares-answer',
  'statements-recorded-for-classified-data',
  'thread-members-invoke-agent',
  'thread-members-post',
  'thread-members-read',
  'thread-owner-manage',
  'tools-run-unattended',
  'unknown-label-fails-closed',
  'users-use-tools',
];

/** Behalf's own policies, the same in every workspace (no group name of any workspace in them). */
const PRODUCT_POLICY_IDS = [
  'agent-uses-tools',
  'agent-writes-need-approval',
  'assigners-assign-agent',
  'declassify-acl-by-document-readers',
  'declassify-public',
  'document-public',
  'document-reader-groups',
  'document-reader-users',
  'label-acl-document-readers',
  'label-public-everyone',
  'requester-shares-answer',
  'statements-recorded-for-classified-data',
  'thread-members-invoke-agent',
  'thread-members-post',
  'thread-members-read',
  'thread-owner-manage',
  'tools-run-unattended',
  'unknown-label-fails-closed',
  'users-use-tools',
];

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A directory holding Behalf's policies plus the given extra files. */
async function policyDir(files: Record<string, string>, withDefaults = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'behalf-policies-'));
  temporary.push(dir);
  if (withDefaults) await cp(PRODUCT_POLICY_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function refusal(dir: string): Promise<string> {
  const error = await loadPolicyDirectory(dir).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'policy_invalid' });
  return (error as AppError).message;
}

describe('loadPolicyDirectory', () => {
  it('loads the default workspace’s policies keyed by @id, each with its own text', async () => {
    const policies = await loadPolicyDirectory();
    expect(Object.keys(policies).sort()).toEqual(POLICY_IDS);
    for (const [id, text] of Object.entries(policies)) {
      expect(text).toContain(`@id("${id}")`);
      expect(text).toMatch(/@reason\("[^"]+"\)/);
    }
  });

  it('ignores files that are not .cedar', async () => {
    const dir = await policyDir({ 'README.md': 'not cedar at all {' });
    expect(Object.keys(await loadPolicyDirectory(dir))).toHaveLength(PRODUCT_POLICY_IDS.length);
  });

  it('Behalf’s own policies name no group: every group comes from the workspace', async () => {
    const policies = await loadPolicyDirectory(await policyDir({}));
    expect(Object.keys(policies).sort()).toEqual(PRODUCT_POLICY_IDS);
    for (const text of Object.values(policies)) expect(text).not.toMatch(/Group::"/);
  });

  it('refuses a missing directory', async () => {
    expect(await refusal(join(tmpdir(), 'behalf-no-such-dir'))).toMatch(/cannot be read \(ENOENT\)/);
  });

  it('refuses a directory without .cedar files', async () => {
    expect(await refusal(await policyDir({}, false))).toMatch(/no \.cedar policy files/);
  });

  it('refuses .cedar files that hold only comments', async () => {
    expect(await refusal(await policyDir({ 'empty.cedar': '// nothing yet\n' }, false))).toMatch(/hold no policies/);
  });

  it('refuses a syntax error, naming the file and line', async () => {
    const text =
      '@id("ok") @reason("fine")\npermit (principal, action, resource);\n\n@id("bad") @reason("x")\npermit (principal action, resource);\n';
    expect(await refusal(await policyDir({ 'zz-bad.cedar': text }))).toMatch(
      /zz-bad\.cedar:5: does not parse: unexpected token/,
    );
  });

  it('refuses a policy without @id, naming the file and line', async () => {
    const text = '// header\n\n@reason("x")\nforbid (principal, action, resource);\n';
    expect(await refusal(await policyDir({ 'no-id.cedar': text }))).toMatch(/no-id\.cedar:3: policy has no @id/);
  });

  it('refuses a policy without @reason', async () => {
    const text = '@id("quiet")\nforbid (principal, action, resource);\n';
    expect(await refusal(await policyDir({ 'quiet.cedar': text }))).toMatch(
      /quiet\.cedar:1: policy "quiet" has no @reason/,
    );
  });

  it('refuses an id that is not kebab-case', async () => {
    const text = '@id("Not Kebab") @reason("x")\nforbid (principal, action, resource);\n';
    expect(await refusal(await policyDir({ 'case.cedar': text }))).toMatch(/"Not Kebab"\) is not kebab-case/);
  });

  it('refuses a duplicate @id, naming both places', async () => {
    const text = '\n@id("thread-members-read") @reason("again")\npermit (principal, action, resource);\n';
    expect(await refusal(await policyDir({ 'zz-dup.cedar': text }))).toMatch(
      /zz-dup\.cedar:2: duplicate @id\("thread-members-read"\), already used in threads\.cedar:\d+/,
    );
  });

  it('refuses an unknown entity type, naming the file, line and policy', async () => {
    const text = '// robots\n@id("robots-rule") @reason("x")\npermit (principal is Robot, action, resource);\n';
    expect(await refusal(await policyDir({ 'robots.cedar': text }))).toMatch(
      /schema validation failed: robots\.cedar:3: policy "robots-rule": .*unrecognized entity type `Robot`/,
    );
  });

  it('refuses an unknown action or attribute', async () => {
    const text =
      '@id("fly") @reason("x")\npermit (principal, action == Action::"fly", resource);\n' +
      '@id("peek") @reason("x")\npermit (principal, action == Action::"readThread", resource is Thread)\nwhen { resource.secret };\n';
    const message = await refusal(await policyDir({ 'odd.cedar': text }));
    expect(message).toMatch(/odd\.cedar:\d+: policy "fly": .*Action::"fly"/);
    expect(message).toMatch(/odd\.cedar:5: policy "peek": .*attribute `secret`/);
  });

  it('refuses templates', async () => {
    const text = '@id("slot") @reason("x")\npermit (principal == ?principal, action, resource);\n';
    expect(await refusal(await policyDir({ 'slot.cedar': text }))).toMatch(/slot\.cedar: templates are not supported/);
  });

  it('reads only the files at the top level of the directory', async () => {
    const dir = await policyDir({});
    await mkdir(join(dir, 'nested.cedar'));
    expect(Object.keys(await loadPolicyDirectory(dir))).toHaveLength(PRODUCT_POLICY_IDS.length);
  });
});
