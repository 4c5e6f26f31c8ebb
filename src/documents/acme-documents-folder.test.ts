import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACME_DOCUMENTS } from '../../test/support/acme/demo.ts';
import { loadDocumentFolder } from './document-folder.ts';

const ACME_FOLDER = fileURLToPath(new URL('../../examples/acme/documents', import.meta.url));

describe('examples/acme/documents', () => {
  it('loads exactly the Acme documents: same ids, titles, labels, readers, byte-identical bodies', async () => {
    const loaded = await loadDocumentFolder(ACME_FOLDER);
    expect(loaded.problems).toEqual([]);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    expect(loaded.documents).toEqual([...ACME_DOCUMENTS].sort(byId));
    for (const document of ACME_DOCUMENTS) {
      expect(loaded.documents.find((candidate) => candidate.id === document.id)?.body).toBe(document.body);
    }
  });
});
