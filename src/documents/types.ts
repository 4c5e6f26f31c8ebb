/**
 * A searchable document with an access-control list and one sensitivity label. `readers` are
 * ACL principals: `everyone`, `group:<name>` or `user:<id>`. A person may read a document only
 * when the ACL admits them **and** they are cleared for its label (both checked by policy).
 */
export interface Document {
  id: string;
  title: string;
  body: string;
  label: string;
  readers: string[];
  /** Bumped on every change (I3 decision keys). */
  version: number;
  /**
   * Where the document came from, when it was synchronized from a source rather than written by
   * hand: `folder:<path>` for a workspace folder (`syncDocumentFolders`). Absent otherwise.
   * Bookkeeping only: policy never reads it, and changing it alone does not bump `version`.
   */
  origin?: string;
}

/** A document to write. An omitted `origin` keeps the stored one (none for a new document). */
export type DocumentInput = Omit<Document, 'version'>;

export interface DocumentHit {
  id: string;
  title: string;
  label: string;
  /** A short excerpt around the match. */
  snippet: string;
  /** Lower is better (FTS rank). */
  rank: number;
}

/** Storage port for documents and their full-text index. */
export interface DocumentStore {
  upsert(document: DocumentInput): Promise<Document>;
  get(id: string): Promise<Document | undefined>;
  list(): Promise<Document[]>;
  /**
   * Full-text search restricted, inside the query, to documents whose `readers` intersect
   * `readerPrincipals` (the permission pre-filter). Callers still re-check every hit against
   * policy. `readerPrincipals: null` means unfiltered (benchmarks only).
   */
  search(query: string, options: { readerPrincipals: string[] | null; limit: number }): Promise<DocumentHit[]>;
  /**
   * Documents whose `origin` starts with `originPrefix` (compared character by character, no
   * wildcards), ordered by id: what one source synchronized (`folder:` for every folder).
   */
  listByOrigin(originPrefix: string): Promise<Document[]>;
  /**
   * Deletes a document with its readers and its search entry; false when there was none. A
   * document created again under the same id continues after the removed one's version, so a
   * decision memoized about the removed document never applies to its successor (I3).
   */
  remove(id: string): Promise<boolean>;
}
