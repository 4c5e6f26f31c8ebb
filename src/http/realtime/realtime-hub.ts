import type { RawData } from 'ws';
import type { DomainEvent } from '../../events/types.ts';
import type { UserId } from '../../identity/types.ts';
import { isAppError } from '../../protocol/errors.ts';
import { ClientFrameSchema, type ServerFrame, WS_CLOSE_CODES } from '../../protocol/wire.ts';
import { changesThreadList, planDelivery, type RealtimeDeliveryPort } from './event-delivery.ts';
import { type HubSocket, SOCKET_CLOSED, SOCKET_OPEN, type SocketPrincipal } from './hub-socket.ts';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';

/**
 * Close code of a socket past its person's cap that raced the upgrade check: 1013 "Try Again
 * Later" (RFC 6455 registry). The client reconnects with backoff like after any close.
 */
const TOO_MANY_CONNECTIONS = 1013;

/** Options of the {@link RealtimeHub}. */
export interface RealtimeHubOptions {
  /** Ping interval; a socket that has not answered the previous ping is terminated (default 30 s). */
  heartbeatMs?: number;
  /**
   * Backpressure limit: a socket with more than this many bytes queued is dropped (close code
   * 4008) instead of buffering without bound (default 1 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * Sockets one person may hold open at once, across all their sessions and tabs (default 20).
   * The upgrade past it is refused with 429; see {@link RealtimeHub.hasRoomFor}.
   */
  maxConnectionsPerUser?: number;
  /** Threads one socket may follow at once (default 100). */
  maxSubscriptionsPerSocket?: number;
  /** How long a closing socket may take before it is terminated (default 1 s). */
  closeGraceMs?: number;
  /** Told about unexpected failures while deciding or delivering; default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** Counters for tests, benchmarks and health checks. */
export interface HubStats {
  connections: number;
  subscriptions: number;
  /** Sockets dropped for backpressure since start. */
  droppedSlow: number;
  /** Sockets terminated for missing heartbeats since start. */
  droppedDead: number;
}

class Connection {
  readonly threads = new Set<string>();
  alive = true;
  closed = false;
  constructor(
    readonly socket: HubSocket,
    readonly principal: SocketPrincipal,
  ) {}
}

/**
 * The WebSocket hub (SPEC §6, I3, I5, I8). Sockets arrive authenticated (the upgrade checked
 * credentials and Origin). A socket subscribes to threads its user may read; the hub consumes
 * the engine's events and decides each one per reader at delivery time (`planDelivery`), in
 * publication order per thread, serializing each distinct view once and writing the same buffer
 * to every socket that gets it — no per-socket await in the send loop.
 *
 * Backpressure policy: delivery never waits for a socket. A socket whose queued bytes exceed
 * `maxBufferedBytes` is dropped with close code 4008 ("slow consumer"); its client reconnects and
 * refetches over HTTP, where every read is authorized. One slow client therefore costs the others
 * nothing, and the server's memory per socket is bounded.
 *
 * Removal (I8): on `member-removed` the removed person's subscriptions to that thread close at
 * once, on every socket they have, before anything else queued for the thread is delivered.
 *
 * Thread lists (issue 11.3): membership changes also reach every socket of the person concerned,
 * subscribed or not (`thread-added`, `thread-removed`; see `planDelivery`), in the thread's order.
 */
export class RealtimeHub {
  private readonly connections = new Set<Connection>();
  /** userId → how many of `connections` are theirs. */
  private readonly perUser = new Map<UserId, number>();
  private readonly maxPerUser: number;
  /** threadId → userId → that user's sockets subscribed to the thread. */
  private readonly subscribers = new Map<string, Map<UserId, Set<Connection>>>();
  private readonly queue: KeyedSerialQueue;
  private readonly unsubscribeEvents: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;
  private readonly maxSubscriptions: number;
  private readonly closeGraceMs: number;
  private readonly onError: (error: unknown) => void;
  private droppedSlow = 0;
  private droppedDead = 0;
  private closing = false;

  constructor(
    private readonly delivery: RealtimeDeliveryPort,
    options: RealtimeHubOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxSubscriptions = options.maxSubscriptionsPerSocket ?? 100;
    this.maxPerUser = options.maxConnectionsPerUser ?? 20;
    this.closeGraceMs = options.closeGraceMs ?? 1000;
    this.onError = options.onError ?? ((error) => console.error('[behalf] realtime delivery failed', error));
    this.queue = new KeyedSerialQueue(this.onError);
    this.unsubscribeEvents = delivery.subscribe((event) => this.onEvent(event));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /**
   * Whether `userId` may open one more socket. The upgrade route asks first and answers 429, so
   * one person (or a stolen session) cannot exhaust the server's sockets and memory; `accept`
   * enforces the cap again, since upgrades racing past the check open at the same time.
   */
  hasRoomFor(userId: UserId): boolean {
    return (this.perUser.get(userId) ?? 0) < this.maxPerUser;
  }

  /** Takes over an upgraded socket of an authenticated user. */
  accept(socket: HubSocket, principal: SocketPrincipal): void {
    const connection = new Connection(socket, principal);
    if (this.closing) {
      socket.close(WS_CLOSE_CODES.shutdown, 'server shutting down');
      return;
    }
    if (!this.hasRoomFor(principal.userId)) {
      socket.close(TOO_MANY_CONNECTIONS, 'too many connections for this person');
      return;
    }
    this.connections.add(connection);
    this.perUser.set(principal.userId, (this.perUser.get(principal.userId) ?? 0) + 1);
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      this.receive(connection, data, isBinary).catch(this.onError);
    });
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('close', () => this.forget(connection));
    socket.on('error', () => this.forget(connection));
  }

  /** Closes every socket opened with this session (logout). */
  closeSession(sessionHash: string): void {
    for (const connection of this.connections) {
      if (connection.principal.sessionHash === sessionHash) {
        this.drop(connection, WS_CLOSE_CODES.sessionEnded, 'session ended');
      }
    }
  }

  /**
   * Asks every client to reconnect and refetch (close code 1012): events may have been missed —
   * the cross-process event connection was lost and restored — and delivery is at most once.
   */
  resyncAll(): void {
    for (const connection of [...this.connections]) {
      this.drop(connection, WS_CLOSE_CODES.resync, 'events may have been missed: reconnect and refetch');
    }
  }

  stats(): HubStats {
    let subscriptions = 0;
    for (const connection of this.connections) subscriptions += connection.threads.size;
    return {
      connections: this.connections.size,
      subscriptions,
      droppedSlow: this.droppedSlow,
      droppedDead: this.droppedDead,
    };
  }

  /** Resolves when every event received so far has been delivered (tests). */
  settle(): Promise<void> {
    return this.queue.drain();
  }

  /** Stops consuming events and closes every socket (1001), terminating those that linger. */
  async close(): Promise<void> {
    this.closing = true;
    this.unsubscribeEvents();
    clearInterval(this.heartbeat);
    const sockets = [...this.connections].map((connection) => connection.socket);
    for (const connection of [...this.connections]) {
      this.forget(connection);
      connection.socket.close(WS_CLOSE_CODES.shutdown, 'server shutting down');
    }
    await this.queue.drain();
    await new Promise<void>((resolve) => {
      const deadline = Date.now() + this.closeGraceMs;
      const poll = setInterval(() => {
        const open = sockets.filter((socket) => socket.readyState !== SOCKET_CLOSED);
        if (open.length === 0 || Date.now() >= deadline) {
          clearInterval(poll);
          for (const socket of open) socket.terminate();
          resolve();
        }
      }, 10);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Client frames

  private async receive(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return this.refuse(connection, 'bad_request', 'Frames are JSON text');
    let value: unknown;
    try {
      value = JSON.parse(data.toString());
    } catch {
      return this.refuse(connection, 'bad_request', 'The frame is not valid JSON');
    }
    const parsed = ClientFrameSchema.safeParse(value);
    if (!parsed.success) return this.refuse(connection, 'validation_failed', 'Unknown or malformed frame');
    const frame = parsed.data;
    switch (frame.type) {
      case 'ping':
        return this.sendFrame(connection, { type: 'pong' });
      case 'unsubscribe':
        this.unsubscribe(connection, frame.threadId);
        return this.sendFrame(connection, { type: 'unsubscribed', threadId: frame.threadId });
      case 'subscribe':
        return this.subscribe(connection, frame.threadId);
    }
  }

  /** Subscribes only to a thread the user may read now; otherwise an `error` frame and nothing else. */
  private async subscribe(connection: Connection, threadId: string): Promise<void> {
    if (connection.threads.has(threadId)) return this.sendFrame(connection, { type: 'subscribed', threadId });
    if (connection.threads.size >= this.maxSubscriptions) {
      return this.refuse(
        connection,
        'bad_request',
        `At most ${this.maxSubscriptions} subscriptions per socket`,
        threadId,
      );
    }
    try {
      await this.delivery.authorizeSubscription(connection.principal.userId, threadId);
    } catch (error) {
      if (!isAppError(error)) this.onError(error);
      const code = isAppError(error) ? error.code : 'internal';
      return this.refuse(connection, code, isAppError(error) ? error.message : 'Internal error', threadId);
    }
    if (connection.closed) return;
    connection.threads.add(threadId);
    let readers = this.subscribers.get(threadId);
    if (!readers) {
      readers = new Map();
      this.subscribers.set(threadId, readers);
    }
    let sockets = readers.get(connection.principal.userId);
    if (!sockets) {
      sockets = new Set();
      readers.set(connection.principal.userId, sockets);
    }
    sockets.add(connection);
    this.sendFrame(connection, { type: 'subscribed', threadId });
  }

  private refuse(connection: Connection, code: string, message: string, threadId?: string): void {
    this.sendFrame(connection, { type: 'error', ...(threadId ? { threadId } : {}), error: { code, message } });
  }

  // ------------------------------------------------------------------------------------------
  // Events

  private onEvent(event: DomainEvent): void {
    if (this.closing) return;
    if (!this.subscribers.has(event.threadId) && !changesThreadList(event)) return;
    if (event.type === 'member-removed') {
      // At once, before anything still queued for the thread reaches them (I8).
      const frame = this.serialize({ type: 'member-removed', threadId: event.threadId, userId: event.userId });
      for (const connection of this.socketsOf(event.threadId, event.userId)) this.write(connection, frame);
      this.closeSubscriptions(event.threadId, event.userId, 'You are no longer a member of this thread');
    }
    this.queue.push(event.threadId, () => this.deliver(event));
  }

  private async deliver(event: DomainEvent): Promise<void> {
    if (this.closing) return;
    const subscribed = [...(this.subscribers.get(event.threadId)?.keys() ?? [])];
    if (subscribed.length === 0 && !changesThreadList(event)) return;
    const plan = await planDelivery(event, subscribed, this.delivery);
    for (const userId of plan.departed) {
      this.closeSubscriptions(event.threadId, userId, 'You are no longer a member of this thread');
    }
    const current = this.subscribers.get(event.threadId);
    if (current) {
      for (const delivery of plan.deliveries) {
        const data = this.serialize(delivery.frame);
        // Sockets are looked up now, not before the await: a subscription closed meanwhile gets nothing.
        for (const userId of delivery.readers) {
          const sockets = current.get(userId);
          if (sockets) for (const connection of sockets) this.write(connection, data);
        }
      }
    }
    for (const delivery of plan.personal) {
      const data = this.serialize(delivery.frame);
      for (const userId of delivery.readers)
        for (const connection of this.connectionsOf(userId)) this.write(connection, data);
    }
  }

  /** Every open socket of one person, whatever it follows (membership changes are rare). */
  private connectionsOf(userId: UserId): Connection[] {
    return [...this.connections].filter((connection) => connection.principal.userId === userId);
  }

  private socketsOf(threadId: string, userId: UserId): Connection[] {
    const sockets = this.subscribers.get(threadId)?.get(userId);
    return sockets ? [...sockets] : [];
  }

  private closeSubscriptions(threadId: string, userId: UserId, reason: string): void {
    const frame = this.serialize({ type: 'unsubscribed', threadId, reason });
    for (const connection of this.socketsOf(threadId, userId)) {
      this.unsubscribe(connection, threadId);
      this.write(connection, frame);
    }
  }

  private unsubscribe(connection: Connection, threadId: string): void {
    connection.threads.delete(threadId);
    const readers = this.subscribers.get(threadId);
    const sockets = readers?.get(connection.principal.userId);
    if (!readers || !sockets) return;
    sockets.delete(connection);
    if (sockets.size === 0) readers.delete(connection.principal.userId);
    if (readers.size === 0) this.subscribers.delete(threadId);
  }

  // ------------------------------------------------------------------------------------------
  // Sockets

  private serialize(frame: ServerFrame): Buffer {
    return Buffer.from(JSON.stringify(frame));
  }

  private sendFrame(connection: Connection, frame: ServerFrame): void {
    this.write(connection, this.serialize(frame));
  }

  /** Writes without waiting; a socket too far behind is dropped rather than waited for. */
  private write(connection: Connection, data: Buffer): void {
    if (connection.closed || connection.socket.readyState !== SOCKET_OPEN) return;
    if (connection.socket.bufferedAmount > this.maxBufferedBytes) {
      this.droppedSlow += 1;
      this.drop(connection, WS_CLOSE_CODES.slowConsumer, 'slow consumer: reconnect and refetch');
      return;
    }
    connection.socket.send(data, { binary: false });
  }

  /** Forgets the socket at once and closes it; terminates it if the close handshake stalls. */
  private drop(connection: Connection, code: number, reason: string): void {
    this.forget(connection);
    const { socket } = connection;
    socket.close(code, reason);
    setTimeout(() => {
      if (socket.readyState !== SOCKET_CLOSED) socket.terminate();
    }, this.closeGraceMs).unref();
  }

  private forget(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.connections.delete(connection);
    const { userId } = connection.principal;
    const left = (this.perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(userId, left);
    else this.perUser.delete(userId);
    for (const threadId of [...connection.threads]) this.unsubscribe(connection, threadId);
  }

  private beat(): void {
    for (const connection of [...this.connections]) {
      if (!connection.alive) {
        this.droppedDead += 1;
        this.forget(connection);
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }
}
