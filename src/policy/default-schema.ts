import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Path of Behalf's Cedar schema, shipped beside this module. */
export const DEFAULT_SCHEMA_PATH = fileURLToPath(new URL('./schema.cedarschema', import.meta.url));

/** Reads Behalf's Cedar schema (`schema.cedarschema`). */
export function readDefaultSchema(): Promise<string> {
  return readFile(DEFAULT_SCHEMA_PATH, 'utf8');
}
