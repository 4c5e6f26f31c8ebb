import WebSocket from 'ws';
import type { ServerFrame } from '../../src/protocol/wire.ts';

/** A test WebSocket client that records every frame it receives, raw and parsed. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as ServerFrame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new TestSocket(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        reject(new RefusedUpgrade(response.statusCode ?? 0));
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
    });
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The first frame (already received from `fromIndex` on, or to come) matching `predicate`. */
  async next<T extends ServerFrame>(
    predicate: (frame: ServerFrame) => boolean,
    timeoutMs = 10_000,
    fromIndex = 0,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(fromIndex).find(predicate);
      if (found) return found as T;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame; got ${this.raw.slice(-5).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async subscribe(threadId: string): Promise<ServerFrame> {
    const from = this.frames.length;
    this.send({ type: 'subscribe', threadId });
    return this.next(
      (frame) =>
        (frame.type === 'subscribed' || frame.type === 'error') && 'threadId' in frame && frame.threadId === threadId,
      10_000,
      from,
    );
  }

  close(): void {
    this.socket.terminate();
  }
}

/** The upgrade was answered with an HTTP status instead of 101. */
export class RefusedUpgrade extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}

/** The HTTP status a refused upgrade got (fails if the socket opened). */
export async function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const socket = await TestSocket.open(url, headers);
    socket.close();
  } catch (error) {
    if (error instanceof RefusedUpgrade) return error.status;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}
