import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDocumentProblem } from '../documents/document-problem.ts';
import { loadDocumentFolders } from '../documents/sync-document-folders.ts';
import { formatPolicyProblem } from '../policy/policy-files.ts';
import { checkWorkspacePolicies, workspacePolicyOptions } from '../policy/workspace-policies.ts';
import { inspectWorkspaceSource } from '../sources/workspace/index.ts';
import { resolveMcpServers } from '../tools/mcp/mcp-server-config.ts';
import type { ResolvedMcpServer } from '../tools/mcp/types.ts';
import { configFindings } from '../workspace/config-findings.ts';
import type { DoctorFinding } from '../workspace/doctor-finding.ts';
import { loadWorkspace, type Workspace } from '../workspace/load-workspace.ts';
import { formatProblem, WorkspaceError } from '../workspace/workspace-error.ts';

/** What `behalf doctor` needs besides the workspace directory. */
export interface DoctorOptions {
  /** The deployment's data directory (where embedded sources live). */
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Leave the sources out: a serving process owns its embedded ones (the admin page). */
  skipSources?: boolean;
  onProgress?: (line: string) => void;
}

/** Everything doctor found; `workspace` is undefined when `behalf.yaml` itself could not be read. */
export interface Diagnosis {
  workspace: Workspace | undefined;
  findings: DoctorFinding[];
}

/**
 * Checks a workspace the way serving it would use it (SPEC §12): the file against its schema,
 * the label catalogue and policies, each source (reachable, hardened, every table labelled),
 * every person's claims, the documents and the MCP tools. Never throws for a problem in the
 * workspace: each one becomes a finding with its fix.
 */
export async function diagnoseWorkspace(dir: string, options: DoctorOptions): Promise<Diagnosis> {
  const progress = options.onProgress ?? (() => {});
  progress(`Reading ${dir}…`);
  let workspace: Workspace;
  try {
    workspace = await loadWorkspace(dir);
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    return {
      workspace: undefined,
      findings: error.problems.map((problem) => ({
        severity: 'error',
        area: 'config',
        message: formatProblem(problem),
        fix: problem.line > 0 ? `edit ${problem.file} line ${problem.line}` : 'run `behalf init <dir>` to create one',
      })),
    };
  }
  const findings = await configFindings(workspace);
  progress('Checking the label catalogue and policies…');
  const policies = await checkWorkspacePolicies(workspacePolicyOptions(workspace));
  if (!policies.ok) {
    for (const problem of policies.problems) {
      findings.push({
        severity: 'error',
        area: 'policies',
        message: formatPolicyProblem(problem),
        fix: `correct ${problem.file}${problem.line > 0 ? ` line ${problem.line}` : ''}; \`behalf policy validate\` checks it again (a workspace whose policies do not validate does not start)`,
      });
    }
  }
  progress('Checking documents…');
  const documents = await loadDocumentFolders(workspace.config.documents, { workspaceDir: workspace.dir });
  for (const problem of documents.problems) {
    findings.push({
      severity: problem.severity,
      area: 'documents',
      message: formatDocumentProblem(problem),
      fix: `edit the front matter of ${problem.file} (title, labels, readers), then \`behalf documents sync\``,
    });
  }
  progress('Checking tools…');
  findings.push(...(await toolFindings(workspace)));
  const people = workspace.config.people.map((person) => ({
    id: person.id,
    name: person.name,
    email: person.email ?? null,
    groups: person.groups,
    attributes: person.attributes,
  }));
  // An embedded source lives in the data directory; a first check creates it, as serving would.
  if (workspace.config.sources.length > 0 && !options.skipSources)
    await mkdir(resolve(options.dataDir), { recursive: true });
  for (const spec of options.skipSources ? [] : workspace.config.sources) {
    progress(`Checking source ${spec.name}…`);
    const found = await inspectWorkspaceSource(spec, {
      dataDir: options.dataDir,
      env: options.env,
      workspaceDir: workspace.dir,
      people,
    });
    findings.push(...found.map(({ severity, area, message, fix }) => ({ severity, area, message, fix })));
  }
  return { workspace, findings };
}

/**
 * The MCP servers' configuration, then whether each answers at all: any HTTP response counts (a
 * 401 without a grant is a server that is up); no answer within its timeout (at most 5 s) is a
 * warning, since Behalf still starts and serves every other tool.
 */
async function toolFindings(workspace: Workspace): Promise<DoctorFinding[]> {
  let servers: ResolvedMcpServer[];
  try {
    servers = resolveMcpServers(workspace.config.tools);
  } catch (error) {
    return [
      {
        severity: 'error',
        area: 'tools',
        message: error instanceof Error ? error.message : String(error),
        fix: 'correct `tools` in behalf.yaml (the BEHALF_MCP_SERVERS shape: name, url, …)',
      },
    ];
  }
  const unreachable = await Promise.all(
    servers.map(async (server): Promise<DoctorFinding[]> => {
      try {
        // HEAD: a Streamable HTTP endpoint would hold a GET open as an event stream.
        await fetch(server.url, { method: 'HEAD', signal: AbortSignal.timeout(Math.min(server.timeoutMs, 5_000)) });
        return [];
      } catch (error) {
        const reason =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        return [
          {
            severity: 'warning',
            area: 'tools',
            message: `MCP server ${server.name} at ${server.url.origin}${server.url.pathname} cannot be reached (${reason}): its tools will be missing`,
            fix: `start the server, or correct tools[${server.name}].url in behalf.yaml`,
          },
        ];
      }
    }),
  );
  return unreachable.flat();
}
