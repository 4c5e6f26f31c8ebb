import type { AddressInfo } from 'node:net';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { createInProcessApp } from '../app/in-process-app.ts';
import { type RunningServer, startServer } from '../http/server.ts';
import type { SessionResponse, ThreadWire } from '../protocol/wire.ts';
import { benchKeyOf, closeSockets, DeliveryTracker, jsonPoster, openSockets } from './fanout-clients.ts';
import { percentile, round, runPool } from './stats.ts';

/** The one-line result of `behalf bench fanout --json` (SPEC §10, issue 3 point 7). */
export interface FanoutResult {
  bench: 'fanout';
  members: number;
  /** Behalf's delivered messages per second ÷ a raw `ws` broadcast's, same payloads and sockets. */
  ratio_vs_raw_ws: number;
  /** Post (HTTP request sent) → last member received, in milliseconds. */
  p50_ms: number;
  p99_ms: number;
  /** Messages per second delivered to every member through Behalf. */
  msgs_per_s: number;
}

export interface FanoutOptions {
  /** WebSocket members of the thread (default 200). */
  members?: number;
  /** Messages per phase per round (default 300). */
  messages?: number;
  /** Rounds; each runs Behalf and the raw broadcast, alternating which goes first (default 3). */
  rounds?: number;
  /**
   * Messages in flight at once (posted, not yet delivered to everyone) on both sides. Default 1:
   * latency is then one message's own (post → last member), not time spent queued behind others.
   */
  concurrency?: number;
  onProgress?: (line: string) => void;
}

interface PhaseResult {
  messages: number;
  elapsedMs: number;
  latencies: number[];
}

/** A side of the comparison: sends message `index` of `round`; resolves when sent (not delivered). */
type Sender = (round: number, index: number) => Promise<void>;

/**
 * Fan-out benchmark: `members` WebSocket clients of one thread on loopback. The Behalf side posts
 * messages through the HTTP API (authenticated, authorized, stored, audited where the engine
 * audits) and the hub delivers each, decided per reader; the baseline broadcasts the very same
 * frames with a bare `ws` server to the same number of sockets. Both sides keep the same number of
 * messages in flight, and rounds alternate so drift on a shared machine hits both alike.
 */
export async function runFanoutBench(options: FanoutOptions = {}): Promise<FanoutResult> {
  const members = options.members ?? 200;
  const messages = options.messages ?? 300;
  const rounds = options.rounds ?? 3;
  const concurrency = options.concurrency ?? 1;
  const progress = options.onProgress ?? (() => {});

  progress('building an app on an in-memory store');
  const app = await createInProcessApp({ seed: false });
  let server: RunningServer | undefined;
  let raw: WebSocketServer | undefined;
  const sockets: WebSocket[] = [];
  let closePoster = () => {};
  try {
    const userIds = Array.from({ length: members }, (_, index) => `member-${String(index).padStart(3, '0')}`);
    for (const id of userIds)
      await app.store.users.upsert({ id, name: id, title: 'Member', groups: [], managerId: null });
    server = await startServer({ app, port: 0, host: '127.0.0.1', webRoot: null, agentInvocationsPerMinute: 1 });
    const base = server.url;
    const tokens = await Promise.all(userIds.map((id) => signIn(base, id)));
    const owner = `Bearer ${tokens[0]}`;
    const thread = await createThread(base, owner, userIds.slice(1));
    const poster = jsonPoster(base, owner, concurrency);
    closePoster = () => poster.close();

    const prefix = 'fanout ';
    const tracker = new DeliveryTracker(members);
    const payloads = new Map<string, Buffer>();
    const onMessage = (index: number, data: WebSocket.RawData) => {
      const key = benchKeyOf(data, prefix);
      if (key === undefined) return;
      if (index === 0) payloads.set(key, Buffer.from(data as Buffer));
      tracker.receive(key);
    };

    progress(`connecting ${members} members over WebSocket`);
    const wsUrl = `${base.replace('http', 'ws')}/api/ws`;
    const members$ = await openSockets(
      wsUrl,
      members,
      (index) => ({ authorization: `Bearer ${tokens[index]}` }),
      onMessage,
    );
    sockets.push(...members$);
    await Promise.all(members$.map((socket) => subscribe(socket, thread)));

    raw = await listenRaw();
    const rawPort = (raw.address() as AddressInfo).port;
    const rawSockets = await openSockets(`ws://127.0.0.1:${rawPort}`, members, () => ({}), onMessage);
    sockets.push(...rawSockets);
    const rawServer = raw;

    // Keys of both sides have the same length, so the raw side replays byte-identical sizes.
    const keyOf = (side: 'B' | 'R', round: number, index: number) => `${prefix}${side} r${round} m${index}`;
    const behalfSend: Sender = async (round, index) => {
      const response = await poster.post(`/api/threads/${thread}/messages`, { text: keyOf('B', round, index) });
      if (response.status !== 201) throw new Error(`post failed: ${response.status} ${response.text}`);
    };
    const rawSend: Sender = async (round, index) => {
      // The frame Behalf delivered for this message, serialized once, written to every socket.
      const captured = payloads.get(keyOf('B', round, index));
      if (!captured) throw new Error(`no payload captured for message ${index} of round ${round}`);
      const frame = Buffer.from(captured.toString().replace(keyOf('B', round, index), keyOf('R', round, index)));
      for (const client of rawServer.clients) client.send(frame, { binary: false });
    };

    const phase = async (side: 'B' | 'R', round: number, count: number): Promise<PhaseResult> => {
      const send = side === 'B' ? behalfSend : rawSend;
      const latencies: number[] = [];
      const started = performance.now();
      await runPool(count, concurrency, async (index) => {
        const delivered = tracker.expect(keyOf(side, round, index));
        const at = performance.now();
        await send(round, index);
        await delivered;
        latencies.push(performance.now() - at);
      });
      return { messages: count, elapsedMs: performance.now() - started, latencies };
    };

    progress('warming up');
    await phase('B', 0, messages);
    await phase('R', 0, messages);

    const totals = { B: { messages: 0, ms: 0 }, R: { messages: 0, ms: 0 } };
    const latencies: number[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      // Raw replays the frames of Behalf's latest round; odd rounds run Behalf first, even rounds raw.
      const runs: Array<['B' | 'R', number]> =
        round % 2 === 1
          ? [
              ['B', round],
              ['R', round],
            ]
          : [
              ['R', round - 1],
              ['B', round],
            ];
      for (const [side, source] of runs) {
        const result = await phase(side, source, messages);
        totals[side].messages += result.messages;
        totals[side].ms += result.elapsedMs;
        if (side === 'B') latencies.push(...result.latencies);
        progress(
          `round ${round} ${side === 'B' ? 'behalf' : 'raw ws'}: ${round1(result.messages / (result.elapsedMs / 1000))} msgs/s`,
        );
      }
    }
    const behalfRate = totals.B.messages / (totals.B.ms / 1000);
    const rawRate = totals.R.messages / (totals.R.ms / 1000);
    return {
      bench: 'fanout',
      members,
      ratio_vs_raw_ws: round(behalfRate / rawRate),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      msgs_per_s: round(behalfRate, 1),
    };
  } finally {
    closePoster();
    await closeSockets(sockets);
    await new Promise<void>((resolve) => (raw ? raw.close(() => resolve()) : resolve()));
    await server?.close();
    await app.close();
  }
}

function round1(value: number): number {
  return round(value, 1);
}

async function signIn(base: string, user: string): Promise<string> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed for ${user}: ${response.status}`);
  return ((await response.json()) as SessionResponse).token;
}

async function createThread(base: string, authorization: string, members: string[]): Promise<string> {
  const response = await fetch(`${base}/api/threads`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Fan-out benchmark', members }),
  });
  if (response.status !== 201) throw new Error(`thread creation failed: ${response.status}`);
  return ((await response.json()) as ThreadWire).id;
}

function subscribe(socket: WebSocket, threadId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; threadId?: string };
      if (frame.threadId !== threadId) return;
      socket.off('message', onMessage);
      if (frame.type === 'subscribed') resolve();
      else reject(new Error(`subscription refused: ${data.toString()}`));
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'subscribe', threadId }));
  });
}

function listenRaw(): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
