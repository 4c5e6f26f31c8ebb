import type { Document } from '../../documents/types.ts';
import type { DocumentRow } from '../schema.ts';

/** A document row as a `Document` (`origin` only when the document has one). */
export function documentFromRow(row: DocumentRow): Document {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    label: row.label,
    readers: JSON.parse(row.readers) as string[],
    version: Number(row.version),
    ...(row.origin != null ? { origin: row.origin } : {}),
  };
}
