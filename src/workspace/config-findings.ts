import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DoctorFinding } from './doctor-finding.ts';
import type { Workspace } from './load-workspace.ts';

/**
 * What doctor can tell from the workspace files alone: labels nobody is cleared for, folders
 * that are missing, people in no group, admins, reader and steward groups nobody belongs to.
 */
export async function configFindings(workspace: Workspace): Promise<DoctorFinding[]> {
  const { config, dir } = workspace;
  const findings: DoctorFinding[] = [];
  for (const label of config.labels) {
    if (!label.readers || label.readers.length === 0) {
      findings.push({
        severity: 'warning',
        area: 'labels',
        message: `label "${label.id}" has no readers: nobody is cleared for data that carries it, unless a policy says so`,
        fix: `add \`readers: [<groups>]\` to label "${label.id}" in behalf.yaml, or a readLabel permit under ${config.policies ?? 'policies/'}`,
      });
    }
  }
  const groups = new Set(config.people.flatMap((person) => person.groups));
  for (const admin of config.admins) {
    if (config.people.length > 0 && !groups.has(admin)) {
      findings.push({
        severity: 'warning',
        area: 'people',
        message: `nobody is in the admins group "${admin}"`,
        fix: `add "${admin}" to someone's groups in behalf.yaml (or through SCIM), or remove it from \`admins\``,
      });
    }
  }
  // A reader or steward group nobody belongs to is most often a misspelling ("staf"): nobody is
  // then cleared through it. A warning, not an error: an identity provider may bring the group.
  // Entries with a `{param}` take their group from the data, and `user:` names a person.
  if (config.people.length > 0) {
    for (const label of config.labels) {
      for (const role of ['readers', 'stewards'] as const) {
        for (const entry of label[role] ?? []) {
          if (entry === 'everyone' || entry.startsWith('user:') || entry.includes('{') || groups.has(entry)) continue;
          const person = config.people.find((candidate) => candidate.id === entry);
          findings.push({
            severity: 'warning',
            area: 'labels',
            message: `label "${label.id}" names ${role === 'readers' ? 'reader' : 'steward'} group "${entry}", which nobody in \`people\` belongs to`,
            fix: person
              ? `write \`user:${entry}\` to name the person ${entry}, or add "${entry}" to someone's groups`
              : `correct the group name (known groups: ${[...groups].sort().join(', ')}), or add "${entry}" to someone's groups (or through SCIM)`,
          });
        }
      }
    }
  }
  const folders = [
    ...config.documents.map((folder) => ({ area: 'documents', path: folder.path, key: 'documents[].path' })),
    ...(config.policies ? [{ area: 'policies', path: config.policies, key: 'policies' }] : []),
    ...config.sources.flatMap((source) =>
      (source.setup ?? []).map((path) => ({ area: 'sources', path, key: `sources[${source.name}].setup` })),
    ),
  ];
  for (const folder of folders) {
    if (!(await stat(resolve(dir, folder.path)).catch(() => undefined))) {
      findings.push({
        severity: 'error',
        area: folder.area,
        message: `${folder.path} does not exist (in ${dir})`,
        fix: `create it, or correct \`${folder.key}\` in behalf.yaml`,
      });
    }
  }
  return findings;
}
