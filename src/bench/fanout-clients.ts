import { Agent, request as httpRequest } from 'node:http';
import WebSocket from 'ws';

/**
 * Counts, per message key, how many members have received it, and resolves a waiter when all
 * have. Keys are the message text, which is unique per benchmark message.
 */
export class DeliveryTracker {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();

  constructor(private readonly members: number) {}

  /** Resolves once `members` deliveries of `key` have been counted. */
  expect(key: string): Promise<void> {
    return new Promise((resolve) => {
      if ((this.counts.get(key) ?? 0) >= this.members) resolve();
      else this.waiters.set(key, resolve);
    });
  }

  receive(key: string): void {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count === this.members) {
      this.counts.delete(key);
      this.waiters.get(key)?.();
      this.waiters.delete(key);
    }
  }
}

/** The benchmark key of a frame: the text of a `message-created` message, if it is one of ours. */
export function benchKeyOf(data: WebSocket.RawData, prefix: string): string | undefined {
  const frame = JSON.parse(data.toString()) as { type?: string; message?: { text?: unknown } };
  const text = frame.type === 'message-created' ? frame.message?.text : undefined;
  return typeof text === 'string' && text.startsWith(prefix) ? text : undefined;
}

/** Opens `count` sockets (a few at a time) and returns them once all are open. */
export async function openSockets(
  url: string,
  count: number,
  headersOf: (index: number) => Record<string, string>,
  onMessage: (index: number, data: WebSocket.RawData) => void,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const batch = 20;
  for (let start = 0; start < count; start += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, (_, offset) => {
        const index = start + offset;
        return new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(url, { headers: headersOf(index), perMessageDeflate: false });
          socket.on('message', (data) => onMessage(index, data));
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
          socket.once('unexpected-response', (_request, response) =>
            reject(new Error(`WebSocket upgrade refused: ${response.statusCode}`)),
          );
        });
      }),
    );
    sockets.push(...opened);
  }
  return sockets;
}

/** Closes sockets and waits for them to be closed. */
export async function closeSockets(sockets: readonly WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.terminate();
        }),
    ),
  );
}

/**
 * A lean JSON poster over keep-alive connections (node:http), so the client side of the
 * benchmark spends as little CPU as possible in the process it shares with the server.
 */
export function jsonPoster(base: string, authorization: string, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(base);
  return {
    post(path: string, body: unknown): Promise<{ status: number; text: string }> {
      const data = Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const request = httpRequest(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path,
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json', 'content-length': data.length },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
            );
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(data);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}
