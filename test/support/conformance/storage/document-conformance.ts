import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentInput } from '../../../../src/documents/types.ts';
import { freshStoreFor, type OpenStore } from './store-fixtures.ts';

const aDocument = (id: string, overrides: Partial<DocumentInput> = {}): DocumentInput => ({
  id,
  title: `Document ${id}`,
  body: 'Nothing to see here.',
  label: 'public',
  readers: ['everyone'],
  ...overrides,
});

/** DocumentStore: versions, and full-text search with the permission filter inside the query. */
export function describeDocumentConformance(open: OpenStore): void {
  const store = freshStoreFor(open);

  describe('documents', () => {
    it('creates a document at version 1 and round-trips readers in order', async () => {
      const input = aDocument('bands', {
        readers: ['group:hr', 'group:finance', 'user:dana'],
        label: 'hr-confidential',
      });
      expect(await store().documents.upsert(input)).toEqual({ ...input, version: 1 });
      expect(await store().documents.get('bands')).toEqual({ ...input, version: 1 });
      expect(await store().documents.get('nope')).toBeUndefined();
    });

    it('bumps the version only when something changed', async () => {
      await store().documents.upsert(aDocument('d1'));
      expect((await store().documents.upsert(aDocument('d1'))).version).toBe(1);
      expect((await store().documents.upsert(aDocument('d1', { label: 'internal' }))).version).toBe(2);
      expect(
        (await store().documents.upsert(aDocument('d1', { label: 'internal', readers: ['group:hr'] }))).version,
      ).toBe(3);
      expect((await store().documents.get('d1'))?.version).toBe(3);
    });

    it('lists every document ordered by id', async () => {
      for (const id of ['c', 'a', 'b']) await store().documents.upsert(aDocument(id));
      expect((await store().documents.list()).map((document) => document.id)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('document origins and removal', () => {
    const ids = (documents: { id: string }[]) => documents.map((document) => document.id);

    it('round-trips an origin; a document written by hand has none', async () => {
      const fromFolder = aDocument('policies/leave', { origin: 'folder:docs' });
      expect(await store().documents.upsert(fromFolder)).toEqual({ ...fromFolder, version: 1 });
      expect(await store().documents.get('policies/leave')).toEqual({ ...fromFolder, version: 1 });
      await store().documents.upsert(aDocument('by-hand'));
      expect(await store().documents.get('by-hand')).not.toHaveProperty('origin');
      expect((await store().documents.list()).find((document) => document.id === 'policies/leave')?.origin).toBe(
        'folder:docs',
      );
    });

    it('keeps the stored origin when an upsert omits it, and changes it without bumping the version', async () => {
      await store().documents.upsert(aDocument('d1', { origin: 'folder:a' }));
      expect(await store().documents.upsert(aDocument('d1'))).toMatchObject({ version: 1, origin: 'folder:a' });
      expect(await store().documents.upsert(aDocument('d1', { origin: 'folder:b' }))).toMatchObject({
        version: 1,
        origin: 'folder:b',
      });
      expect(await store().documents.get('d1')).toMatchObject({ version: 1, origin: 'folder:b' });
      // A real change with a new origin: one bump, both applied.
      expect(await store().documents.upsert(aDocument('d1', { origin: 'folder:c', body: 'changed' }))).toMatchObject({
        version: 2,
        origin: 'folder:c',
        body: 'changed',
      });
      expect(await store().documents.upsert(aDocument('d1', { body: 'again' }))).toMatchObject({
        version: 3,
        origin: 'folder:c',
      });
      // A hand-written document taken over by a folder.
      await store().documents.upsert(aDocument('d2'));
      expect(await store().documents.upsert(aDocument('d2', { origin: 'folder:a' }))).toMatchObject({
        version: 1,
        origin: 'folder:a',
      });
    });

    it('lists the documents whose origin starts with a prefix, literally, ordered by id', async () => {
      await store().documents.upsert(aDocument('z', { origin: 'folder:docs' }));
      await store().documents.upsert(aDocument('a', { origin: 'folder:docs/sub' }));
      await store().documents.upsert(aDocument('m', { origin: 'folder:other' }));
      await store().documents.upsert(aDocument('w', { origin: 'folder:%_' }));
      await store().documents.upsert(aDocument('u', { origin: 'FOLDER:docs' }));
      await store().documents.upsert(aDocument('é', { origin: 'folder:é/x' }));
      await store().documents.upsert(aDocument('hand'));
      expect(ids(await store().documents.listByOrigin('folder:'))).toEqual(['a', 'm', 'w', 'z', 'é']);
      expect(ids(await store().documents.listByOrigin('folder:docs'))).toEqual(['a', 'z']);
      expect(ids(await store().documents.listByOrigin('folder:%'))).toEqual(['w']);
      expect(ids(await store().documents.listByOrigin('folder:_'))).toEqual([]);
      expect(ids(await store().documents.listByOrigin('folder:é'))).toEqual(['é']);
      expect(ids(await store().documents.listByOrigin('folder:e'))).toEqual([]);
      expect(ids(await store().documents.listByOrigin(''))).toEqual(['a', 'm', 'u', 'w', 'z', 'é']);
      expect((await store().documents.listByOrigin('folder:other'))[0]).toMatchObject({
        id: 'm',
        title: 'Document m',
        readers: ['everyone'],
        version: 1,
        origin: 'folder:other',
      });
    });

    it('removes a document with its readers and its search entry', async () => {
      await store().documents.upsert(
        aDocument('gone', { body: 'ephemeral words', readers: ['group:hr', 'user:bob'], origin: 'folder:x' }),
      );
      await store().documents.upsert(aDocument('kept', { body: 'ephemeral too' }));
      expect(await store().documents.remove('gone')).toBe(true);
      expect(await store().documents.remove('gone')).toBe(false);
      expect(await store().documents.remove('never-was')).toBe(false);
      expect(await store().documents.get('gone')).toBeUndefined();
      expect(ids(await store().documents.list())).toEqual(['kept']);
      expect(await store().documents.listByOrigin('folder:')).toEqual([]);
      expect(ids(await store().documents.search('ephemeral', { readerPrincipals: null, limit: 10 }))).toEqual(['kept']);
      expect(await store().documents.search('ephemeral', { readerPrincipals: ['group:hr'], limit: 10 })).toEqual([]);
    });

    it('continues the versions of a removed document created again, so old decisions never apply (I3)', async () => {
      await store().documents.upsert(aDocument('again', { readers: ['everyone'] }));
      await store().documents.upsert(aDocument('again', { readers: ['everyone'], body: 'v2' }));
      await store().documents.remove('again');
      const recreated = await store().documents.upsert(aDocument('again', { readers: ['group:hr'] }));
      expect(recreated.version).toBe(3);
      expect(await store().documents.upsert(aDocument('again', { readers: ['group:hr'] }))).toMatchObject({
        version: 3,
      });
      expect(ids(await store().documents.search('nothing', { readerPrincipals: ['group:hr'], limit: 10 }))).toEqual([
        'again',
      ]);
      await store().documents.remove('again');
      expect((await store().documents.upsert(aDocument('again'))).version).toBe(4);
    });
  });

  describe('document search', () => {
    const seed = async () => {
      await store().documents.upsert(
        aDocument('handbook', {
          title: 'Employee handbook',
          body: 'Vacation policy: 25 days. Expenses need a receipt.',
        }),
      );
      await store().documents.upsert(
        aDocument('pipeline', {
          title: 'EMEA pipeline notes',
          body: 'Vacation season slows the EMEA deals; Globex renewal at risk.',
          label: 'sales-pipeline:emea',
          readers: ['group:sales-emea', 'group:managers'],
        }),
      );
      await store().documents.upsert(
        aDocument('postmortem', {
          title: 'Database outage postmortem',
          body: 'The primary database ran out of disk during vacation week.',
          label: 'engineering-internal',
          readers: ['group:engineering', 'user:erin'],
        }),
      );
    };
    const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id).sort();

    it('finds documents by a word of the body or the title, with a snippet and ascending rank', async () => {
      await seed();
      const hits = await store().documents.search('vacation', { readerPrincipals: null, limit: 10 });
      expect(ids(hits)).toEqual(['handbook', 'pipeline', 'postmortem']);
      for (const hit of hits) expect(hit.snippet.toLowerCase()).toContain('vacation');
      const ranks = hits.map((hit) => hit.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      const titleOnly = await store().documents.search('postmortem', { readerPrincipals: null, limit: 10 });
      expect(ids(titleOnly)).toEqual(['postmortem']);
      expect(titleOnly[0]?.snippet.length).toBeGreaterThan(0);
      expect(hits.find((hit) => hit.id === 'pipeline')).toMatchObject({
        title: 'EMEA pipeline notes',
        label: 'sales-pipeline:emea',
      });
    });

    it('matches any word of the query, whatever its case', async () => {
      await seed();
      const hits = await store().documents.search('GLOBEX receipt unknownword', { readerPrincipals: null, limit: 10 });
      expect(ids(hits)).toEqual(['handbook', 'pipeline']);
    });

    it('never returns a document to readers its ACL does not name', async () => {
      await seed();
      const search = (principals: string[]) =>
        store().documents.search('vacation', { readerPrincipals: principals, limit: 10 });
      expect(ids(await search(['everyone', 'user:carol', 'group:engineering']))).toEqual(['handbook', 'postmortem']);
      expect(ids(await search(['everyone', 'user:bob', 'group:sales', 'group:sales-emea']))).toEqual([
        'handbook',
        'pipeline',
      ]);
      expect(ids(await search(['everyone', 'user:gus', 'group:sales', 'group:sales-apac']))).toEqual(['handbook']);
      expect(ids(await search(['user:erin']))).toEqual(['postmortem']);
      expect(await search([])).toEqual([]);
    });

    it('applies the limit after the permission filter', async () => {
      for (let index = 0; index < 8; index++) {
        await store().documents.upsert(
          aDocument(`secret-${index}`, { body: 'quarterly numbers quarterly', readers: ['group:execs'] }),
        );
      }
      await store().documents.upsert(aDocument('open', { body: 'quarterly numbers', readers: ['everyone'] }));
      const hits = await store().documents.search('quarterly', { readerPrincipals: ['everyone'], limit: 1 });
      expect(ids(hits)).toEqual(['open']);
      expect(await store().documents.search('quarterly', { readerPrincipals: null, limit: 3 })).toHaveLength(3);
    });

    it('indexes the latest version: old words stop matching, new readers apply', async () => {
      await seed();
      await store().documents.upsert(
        aDocument('handbook', { title: 'Employee handbook', body: 'Remote work policy.', readers: ['group:hr'] }),
      );
      expect(ids(await store().documents.search('vacation', { readerPrincipals: null, limit: 10 }))).not.toContain(
        'handbook',
      );
      expect(await store().documents.search('remote', { readerPrincipals: ['everyone'], limit: 10 })).toEqual([]);
      expect(ids(await store().documents.search('remote', { readerPrincipals: ['group:hr'], limit: 10 }))).toEqual([
        'handbook',
      ]);
    });

    it.each(['', '   ', '"', '***', '(((', '^:-', '""""'])(
      'returns nothing, without error, for a query with no words: %j',
      async (query) => {
        await seed();
        expect(await store().documents.search(query, { readerPrincipals: null, limit: 10 })).toEqual([]);
      },
    );

    it.each([
      'vacation OR',
      'NOT vacation',
      'vacation AND NEAR(',
      '"vacation',
      'title:vacation',
      'vacation*',
      "vacation'); DROP TABLE documents; --",
      '{title} : vacation -policy +days',
    ])('treats full-text syntax as plain words: %j', async (query) => {
      await seed();
      const hits = await store().documents.search(query, { readerPrincipals: null, limit: 10 });
      expect(hits.length).toBeGreaterThan(0);
      expect(await store().documents.list()).toHaveLength(3);
    });

    it('returns nothing for a non-positive limit', async () => {
      await seed();
      expect(await store().documents.search('vacation', { readerPrincipals: null, limit: 0 })).toEqual([]);
    });

    it('finds words with non-ASCII letters', async () => {
      await store().documents.upsert(aDocument('fr', { body: 'Politique de congés: naïve café' }));
      expect(ids(await store().documents.search('congés', { readerPrincipals: null, limit: 5 }))).toEqual(['fr']);
    });

    it('returns exactly what an authorized-only oracle returns (property)', async () => {
      const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
      const principals = ['everyone', 'group:sales', 'group:sales-emea', 'group:hr', 'user:bob', 'user:carol'];
      const documentCount = 10;
      const documentArbitrary = fc.record({
        title: fc.subarray(vocabulary),
        body: fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }),
        readers: fc.subarray(principals),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(documentArbitrary, { minLength: documentCount, maxLength: documentCount }),
          fc.subarray(vocabulary, { minLength: 1, maxLength: 3 }),
          fc.option(fc.subarray(principals), { nil: null }),
          async (documents, words, readerPrincipals) => {
            for (const [index, document] of documents.entries()) {
              await store().documents.upsert(
                aDocument(`doc-${index}`, {
                  title: document.title.join(' '),
                  body: document.body.join(' '),
                  readers: document.readers,
                }),
              );
            }
            const expected = documents
              .map((document, index) => ({ ...document, id: `doc-${index}` }))
              .filter((document) => words.some((word) => [...document.title, ...document.body].includes(word)))
              .filter(
                (document) =>
                  readerPrincipals === null || document.readers.some((reader) => readerPrincipals.includes(reader)),
              )
              .map((document) => document.id)
              .sort();
            const hits = await store().documents.search(words.join(' '), { readerPrincipals, limit: 100 });
            expect(ids(hits)).toEqual(expected);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
