import type { WorkspaceConfig } from './workspace-config.ts';

/** A reference inside `behalf.yaml` that points nowhere, by key path. */
export interface ReferenceProblem {
  path: (string | number)[];
  message: string;
}

/** Names of Behalf's own tools, which a source's tool or action cannot take. */
export const BUILT_IN_TOOLS = ['read_context_item', 'search_documents', 'get_document', 'remember', 'recall'];

/** Labels every workspace knows without declaring them. */
const BUILT_IN_LABELS = new Set(['public']);

/** `ward:{ward}` and `ward:{ward_id}` have one shape, `ward:{}`: parameter names are local. */
export function labelShape(label: string): string {
  return label.replace(/\{[a-z_][a-z0-9_]*\}/g, '{}');
}

/** The `{column}` parameters of a table label, in order. */
export function labelParameters(label: string): string[] {
  return [...label.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)].map((match) => match[1] as string);
}

/**
 * What the schema alone cannot see: unique ids, references between sections (people, threads,
 * agents), and every table label being one the catalogue declares. Fail early: a label nobody
 * declared would silently make a table unreadable for everyone.
 */
export function findReferenceProblems(config: WorkspaceConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const unique = (section: string, keyOf: (index: number) => string | undefined, size: number, what: string) => {
    const seen = new Set<string>();
    for (let index = 0; index < size; index += 1) {
      const key = keyOf(index);
      if (key === undefined) continue;
      if (seen.has(key)) problems.push({ path: [section, index], message: `${what} "${key}" is declared twice` });
      seen.add(key);
    }
  };
  unique('people', (index) => config.people[index]?.id, config.people.length, 'person');
  unique('labels', (index) => labelShape(config.labels[index]?.id ?? ''), config.labels.length, 'label');
  unique('sources', (index) => config.sources[index]?.name, config.sources.length, 'source');
  unique('agents', (index) => config.agents[index]?.id, config.agents.length, 'agent identity');
  unique('threads', (index) => config.threads[index]?.id, config.threads.length, 'thread');

  const people = new Set(config.people.map((person) => person.id));
  const person = (path: (string | number)[], id: string | undefined, role: string) => {
    if (id !== undefined && !people.has(id)) {
      problems.push({ path, message: `${role} "${id}" is not one of the workspace's people` });
    }
  };
  config.people.forEach((entry, index) => {
    person(['people', index, 'manager'], entry.manager, 'manager');
  });
  config.agents.forEach((agent, index) => {
    person(['agents', index, 'provisionedBy'], agent.provisionedBy, 'provisionedBy');
    if (people.has(agent.id))
      problems.push({ path: ['agents', index, 'id'], message: `"${agent.id}" is already a person's id` });
  });
  config.threads.forEach((thread, index) => {
    person(['threads', index, 'owner'], thread.owner, 'owner');
    thread.members.forEach((member, position) => {
      person(['threads', index, 'members', position], member, 'member');
    });
    if (!thread.members.includes(thread.owner)) {
      problems.push({ path: ['threads', index, 'members'], message: `the owner "${thread.owner}" must be a member` });
    }
  });

  const declared = new Set([...BUILT_IN_LABELS, ...config.labels.map((label) => labelShape(label.id))]);
  const known = (path: (string | number)[], label: string) => {
    if (!declared.has(labelShape(label))) {
      problems.push({ path, message: `label "${label}" is not in the label catalogue (\`labels:\`)` });
    }
  };
  const tools = new Set<string>(BUILT_IN_TOOLS);
  config.sources.forEach((source, index) => {
    const tool = sourceToolName(config, index);
    if (tools.has(tool)) problems.push({ path: ['sources', index, 'tool'], message: `tool name "${tool}" is taken` });
    tools.add(tool);
    (source.actions ?? []).forEach((action, position) => {
      const path = ['sources', index, 'actions', position];
      if (tools.has(action.name))
        problems.push({ path: [...path, 'name'], message: `tool name "${action.name}" is taken` });
      tools.add(action.name);
      action.labels.forEach((label, at) => {
        known([...path, 'labels', at], label);
      });
    });
    if ((source.actions ?? []).length > 0 && !source.writeRole) {
      problems.push({
        path: ['sources', index, 'actions'],
        message: 'actions need a `writeRole` on the source: the role writes run as',
      });
    }
    for (const [table, spec] of Object.entries(source.tables)) {
      spec.labels.forEach((label, position) => {
        known(['sources', index, 'tables', table, 'labels', position], label);
      });
      for (const [column, labels] of Object.entries(spec.columns ?? {})) {
        labels.forEach((label, position) => {
          known(['sources', index, 'tables', table, 'columns', column, position], label);
          if (labelParameters(label).length > 0) {
            problems.push({
              path: ['sources', index, 'tables', table, 'columns', column, position],
              message: 'a column label cannot take a {parameter}; put it on the table',
            });
          }
        });
      }
    }
    if (source.setup && !source.url.includes('pglite:')) {
      problems.push({
        path: ['sources', index, 'setup'],
        message: 'setup scripts run only on an embedded pglite: source; a database you own is set up by you',
      });
    }
  });
  return problems;
}

/** The tool name the agent calls a source by: `tool`, else `sql` for the first, `sql_<name>` after. */
export function sourceToolName(config: Pick<WorkspaceConfig, 'sources'>, index: number): string {
  const source = config.sources[index];
  if (!source) throw new Error(`no source at ${index}`);
  return source.tool ?? (index === 0 ? 'sql' : `sql_${source.name}`);
}
