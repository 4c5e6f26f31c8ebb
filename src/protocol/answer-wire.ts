// ---------------------------------------------------------------------------------------------
// Label origins and split-audience answers (issue 10 points 2 and 3). Kept beside wire.ts, which
// refers to these shapes from `MessageWire`, `RunWire` and `PostMessageBody`.
import { z } from 'zod';

/**
 * Who the requester asks an answer for, on `POST /api/threads/:id/messages` (default `me`):
 * - `me`: the complete answer. When it used data not every member is cleared for, it is delivered
 *   privately to the requester, and the thread also gets a part built only from the inputs every
 *   member is cleared for (when at least one of them returned data).
 * - `room`: only the part every member may see goes out (to the thread); the requester is told
 *   privately what was left out, never its content.
 */
export const AnswerAudienceSchema = z.enum(['me', 'room'], {
  error: 'audience must be "me" (answer for me) or "room" (answer for the room)',
});
export type AnswerAudienceWire = z.infer<typeof AnswerAudienceSchema>;

/**
 * Which part of a split answer a message is: `shared`, built in a separate model step without
 * tools from inputs every member is cleared for and delivered to the thread; `private`, the
 * requester's part (the complete answer, or what was left out of a room answer).
 */
export type AnswerPartWire = 'shared' | 'private';

/** Where a source of a tool call's labels lies inside its result: a table, a document, an earlier message, a memory. */
export type LabelSourceKind = 'table' | 'document' | 'message' | 'memory';

/** One label of a tool call's result and the thing inside it that produced it (`compensation` rows). */
export interface LabelSourceWire {
  label: string;
  kind: LabelSourceKind;
  /** The table's, document's, message's or memory's name or id. */
  source: string;
}

/**
 * Where one label of an answer came from (issue 10 point 2, SPEC §13): a tool call (`tool`, with
 * the call's id and time), a document or an earlier message or memory read through a tool call,
 * or a message included as content in the run's context (`message` without `callId`).
 * `detail` names the table, document, message or memory inside the call's result.
 */
export interface LabelOriginWire {
  label: string;
  kind: 'tool' | 'document' | 'message' | 'memory';
  /** The tool whose call read it. */
  tool?: string;
  callId?: string;
  /** Table name, document id, message id or memory id. */
  detail?: string;
  /** When the call (or the message) happened, epoch ms. */
  at: number;
}
