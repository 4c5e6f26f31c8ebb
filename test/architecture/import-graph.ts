import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import or re-export of a source file, as written. */
export interface ImportEdge {
  /** The importing file, relative to the repository (`src/agent/turn-loop.ts`). */
  from: string;
  /** The file a relative specifier resolves to (relative to the repository), or the package name. */
  to: string;
  /** True when the specifier is a package (`pg`), false for a file of the repository. */
  external: boolean;
  /** `import type` / `export type`, or every named binding marked `type`: erased at runtime. */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx)$/;

/** Every `.ts`/`.tsx` file under `directory`, relative to `root`. */
export function sourceFiles(root: string, directory: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name)) files.push(relative(root, path));
    }
  };
  walk(join(root, directory));
  return files.sort();
}

/**
 * The imports of a file, read with the TypeScript parser (so comments, strings and template
 * literals never count): static imports and re-exports, `import()` and `vi.mock()` of a path.
 */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const external = !specifier.startsWith('.');
    const to = external ? packageOf(specifier) : normalize(relative(root, resolve(root, file, '..', specifier)));
    edges.push({ from: file, to, external, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
      const allNamedTypes =
        !!named && named.elements.length > 0 && !clause?.name && named.elements.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier.text, !!clause?.isTypeOnly || allNamedTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0] as ts.Expression) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText(source) === 'vi.mock')
    ) {
      add((node.arguments[0] as ts.StringLiteral).text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** `pg` for `pg`, `@scope/name` for `@scope/name/sub`, `node:fs` as is. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The top-level folder of `src/<folder>/...`, or undefined outside `src`. */
export function srcFolderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

/** Whether a file is a test (vitest's `*.test.ts`), which may use test support code. */
export function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path);
}

/**
 * Cycles in a directed graph given as adjacency sets: each strongly connected component with more
 * than one node (Tarjan's algorithm), nodes sorted.
 */
export function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return components;
}
