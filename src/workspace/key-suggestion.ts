import { z } from 'zod';
import { WorkspaceConfigSchema } from './workspace-config.ts';

type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  $ref?: string;
};

let root: (SchemaNode & { $defs?: Record<string, SchemaNode> }) | undefined;

function schema(): SchemaNode & { $defs?: Record<string, SchemaNode> } {
  root ??= z.toJSONSchema(WorkspaceConfigSchema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  return root;
}

/** The object schemas a node may be: through `$ref`s and unions. */
function objectsOf(node: SchemaNode | undefined): SchemaNode[] {
  if (!node) return [];
  if (node.$ref) return objectsOf(schema().$defs?.[node.$ref.replace('#/$defs/', '')]);
  const alternatives = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  return [
    ...(node.properties || node.items || node.additionalProperties ? [node] : []),
    ...alternatives.flatMap(objectsOf),
  ];
}

/** The keys the object at `path` of behalf.yaml may have. */
function keysAt(path: readonly PropertyKey[]): string[] {
  let nodes = objectsOf(schema());
  for (const segment of path) {
    nodes = nodes.flatMap((node) =>
      typeof segment === 'number'
        ? objectsOf(node.items)
        : objectsOf(
            node.properties?.[String(segment)] ??
              (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined),
          ),
    );
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(node.properties ?? {})))];
}

/**
 * The key a misspelt one at `path` most likely meant (`tabels` → `tables`, `writerole` →
 * `writeRole`): a key that object may have, at most two edits away (case ignored), or undefined.
 */
export function suggestKey(path: readonly PropertyKey[], unknown: string): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of keysAt(path)) {
    const distance = editDistance(lower, key.toLowerCase());
    if (distance <= Math.min(2, Math.ceil(key.length / 3)) && (!best || distance < best.distance))
      best = { key, distance };
  }
  return best?.key;
}

/** Levenshtein distance, a swap of neighbours counting as one edit (small enough to keep here). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}
