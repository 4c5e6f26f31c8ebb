// ---------------------------------------------------------------------------------------------
// Agent memory (issue 10 point 4) — GET /api/threads/:id/memories,
// DELETE /api/threads/:id/memories/:memoryId. Kept beside wire.ts so memory grows without editing it.

/** One source a memory was derived from: a tool call of the remembering run, or its context. */
export type MemorySourceWire =
  | { kind: 'tool-call'; callId: string; tool: string; at: number; labels: string[] }
  | { kind: 'context'; labels: string[] };

/**
 * A fact the agent remembered in a thread, as a reader cleared for it sees it. `labels` are every
 * label the remembering run had read (so the memory is listed and recalled only for readers
 * cleared for all of them); `origin` names the run, its request and the sources of those labels.
 */
export interface MemoryWire {
  id: string;
  threadId: string;
  text: string;
  /** The person whose request created it ("remembered for"). */
  requesterId: string;
  createdAt: number;
  labels: string[];
  origin: { runId: string; callId: string; messageId: string; sources: MemorySourceWire[] };
  /** Whether the caller may delete it: only the person whose request created it. */
  deletable: boolean;
}

/**
 * `GET /api/threads/:id/memories` (members): the memories the caller is cleared for, oldest
 * first. Others are left out entirely (no placeholder, no count). Non-members get 404.
 */
export interface MemoriesResponse {
  memories: MemoryWire[];
}

/**
 * `DELETE /api/threads/:id/memories/:memoryId`: 204. 403 `forbidden` for a memory of someone
 * else's request the caller can read; 404 `not_found` for one they cannot read, of another
 * thread, or unknown. Audited (`memory.delete`) either way.
 */
export type DeleteMemoryResponse = null;
