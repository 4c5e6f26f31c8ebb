import type { Document } from '../../documents/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import { runReadOnlyQuery } from '../../sources/sql-runner.ts';
import type { SourcePerson, SqlDataSource } from '../../sources/types.ts';
import type { PersonSpec, WorkspaceConfig } from '../../workspace/workspace-config.ts';

/** One row as a person reads it through the data source's own row-level security. */
export type Row = Readonly<Record<string, unknown>>;

/** A table of a workspace source, with the rows each person can read and the labels it declares. */
export interface TableFacts {
  /** The tool that queries it (`sql`, `sql_<source>`). */
  tool: string;
  name: string;
  /** Declared labels; `{column}` parameters take the row's value (`sales-pipeline:{region}`). */
  labels: readonly string[];
  /** Labels of a result that reads the named columns (all of them, for the rows' own labels). */
  columnLabels: readonly string[];
  /** The same by column: a statement that does not read a column does not get its labels. */
  labelledColumns: ReadonlyMap<string, readonly string[]>;
  columns: readonly string[];
  /** Rows by person id, as the source's row-level security shows them to that person. */
  rowsFor: ReadonlyMap<string, readonly Row[]>;
}

/**
 * What the benchmark's oracle knows about a workspace, gathered without the system under test:
 * the people, each table's declared labels and the rows each person reads from the source as
 * themselves, the documents with their labels, and clearances straight from the policy engine.
 */
export interface WorkspaceFacts {
  people: readonly PersonSpec[];
  tables: readonly TableFacts[];
  documents: readonly Document[];
  /** Whether `person` may read every label (a `readLabel` decision each; none means yes). */
  cleared(person: string, labels: Iterable<string>): Promise<boolean>;
}

/** The labels of one row of `table`: its declared labels with parameters filled, plus column labels. */
export function rowLabels(table: Pick<TableFacts, 'labels' | 'columnLabels'>, row: Row): string[] {
  const labels = table.labels.map((label) =>
    label.replace(/\{([a-z_][a-z0-9_$]*)\}/g, (_, column: string) => String(row[column] ?? '')),
  );
  return [...new Set([...labels, ...table.columnLabels])];
}

/** Reads the facts: every person's view of every declared table, the documents, a clearance cache. */
export async function gatherWorkspaceFacts(input: {
  config: WorkspaceConfig;
  sources: ReadonlyArray<{ sourceName: string; toolName: string; source: SqlDataSource }>;
  documents: readonly Document[];
  policy: PolicyEngine;
}): Promise<WorkspaceFacts> {
  const people = input.config.people;
  const tables: TableFacts[] = [];
  for (const spec of input.config.sources) {
    const opened = input.sources.find((entry) => entry.sourceName === spec.name);
    if (!opened) continue;
    for (const [name, table] of Object.entries(spec.tables)) {
      const rowsFor = new Map<string, Row[]>();
      let columns: string[] = [];
      for (const person of people) {
        const result = await runReadOnlyQuery(opened.source, sourcePerson(person), `SELECT * FROM ${name}`, {
          maxRows: 10_000,
        });
        columns = result.columns;
        rowsFor.set(
          person.id,
          result.rows.map((values) =>
            Object.fromEntries(result.columns.map((column, index) => [column, values[index]])),
          ),
        );
      }
      tables.push({
        tool: opened.toolName,
        name,
        labels: table.labels,
        columnLabels: [...new Set(Object.values(table.columns ?? {}).flat())],
        labelledColumns: new Map(Object.entries(table.columns ?? {})),
        columns,
        rowsFor,
      });
    }
  }
  const decisions = new Map<string, Promise<boolean>>();
  const readsLabel = (person: string, label: string) => {
    const key = `${person}\u0000${label}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = input.policy
        .authorize({
          principal: { type: 'User', id: person },
          action: 'readLabel',
          resource: { type: 'Label', id: label },
          context: { viaAgent: false },
        })
        .then((result) => result.effect === 'allow');
      decisions.set(key, decision);
    }
    return decision;
  };
  return {
    people,
    tables,
    documents: input.documents,
    async cleared(person, labels) {
      for (const label of new Set(labels)) if (!(await readsLabel(person, label))) return false;
      return true;
    },
  };
}

/** A workspace person as a source's identity convention needs them. */
function sourcePerson(person: PersonSpec): SourcePerson {
  return {
    id: person.id,
    groups: person.groups,
    name: person.name,
    email: person.email ?? null,
    ...('attributes' in person && person.attributes
      ? { attributes: person.attributes as SourcePerson['attributes'] }
      : {}),
  };
}
