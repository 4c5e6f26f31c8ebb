import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_DOCUMENTS,
  EXAMPLE_DOCUMENTS_DIR,
  EXAMPLE_WORKSPACE_PATH,
} from '../../test/support/example-workspace.ts';
import { loadDocumentFolder } from './document-folder.ts';

describe(`${EXAMPLE_WORKSPACE_PATH}/documents`, () => {
  it('loads exactly the example workspace’s documents: same ids, titles, labels, readers, byte-identical bodies', async () => {
    const loaded = await loadDocumentFolder(EXAMPLE_DOCUMENTS_DIR);
    expect(loaded.problems).toEqual([]);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    expect(loaded.documents).toEqual([...EXAMPLE_DOCUMENTS].sort(byId));
    for (const document of EXAMPLE_DOCUMENTS) {
      expect(loaded.documents.find((candidate) => candidate.id === document.id)?.body).toBe(document.body);
    }
  });
});
