import { randomUUID } from 'node:crypto';
import { Client, escapeIdentifier, type Notification, Pool } from 'pg';
import { LocalEventBus } from '../../events/local-event-bus.ts';
import type { DomainEvent, EventBus } from '../../events/types.ts';
import { AppError } from '../../protocol/errors.ts';
import { describeDatabase } from './open-postgres-pool.ts';
import { decodeEnvelope, type EventPayloadSource, encodeEvent, resolveEnvelope } from './pg-event-payload.ts';
import { unavailable } from './unavailable-database.ts';

/** Options of `createPgEventBus`. */
export interface PgEventBusOptions {
  /** The deployment's database; every process of one deployment uses the same. */
  connectionString: string;
  /** Where events sent by reference are loaded from (the deployment's store). */
  source: EventPayloadSource;
  /** The NOTIFY channel (`behalf_events`); deployments sharing a database use different ones. */
  channel?: string;
  /** Failures that cannot be thrown to a caller: lost connections, undeliverable payloads, handlers. */
  onError?: (error: unknown) => void;
  /**
   * Called after the listening connection was lost and restored: events published meanwhile by
   * other processes were missed, so readers should catch up (fetch messages, re-read runs).
   */
  onResync?: () => void;
  /** First and longest wait between reconnection attempts (100 ms doubling up to 5 s by default). */
  reconnectDelayMs?: { initial: number; max: number };
}

/** Payloads sent in one NOTIFY statement at most (a few hundred kilobytes). */
const MAX_BATCH = 64;

/**
 * Payloads waiting at most while the database is slow or away; older ones are dropped (and
 * reported) beyond this, so an outage cannot grow memory without bound. Readers catch up anyway.
 */
const MAX_PENDING = 10_000;

/**
 * Sends queued payloads in order: a statement's notifications are delivered in the order they are
 * raised, and a statement ends (commits) before the next one starts, so order holds across
 * batches too. Each payload carries a unique counter, so PostgreSQL never folds two into one.
 */
const NOTIFY_BATCH = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';

/**
 * `EventBus` across processes over PostgreSQL LISTEN/NOTIFY. `publish` delivers to this process's
 * subscribers at once (as `LocalEventBus` does) and NOTIFYs the others; each bus skips its own
 * notifications, so every subscriber in every process receives an event exactly once while
 * connected. Events from one process arrive everywhere in the order it published them.
 *
 * Two connections per process: one LISTENs (reconnecting with backoff when lost, then calling
 * `onResync`), and a one-connection pool NOTIFYs, so publishing recovers on its own too. Delivery
 * across processes is at most once, as the `EventBus` contract says: what is published while the
 * database is unreachable is reported to `onError`, and readers catch up by fetching.
 */
export class PgEventBus implements EventBus {
  /** The id this bus stamps on its notifications (also in its connection's `application_name`). */
  readonly origin = randomUUID();
  readonly #options: PgEventBusOptions;
  readonly #channel: string;
  readonly #local: LocalEventBus;
  readonly #publisher: Pool;
  #listener: Client | undefined;
  #pending: string[] = [];
  #sending: Promise<void> | undefined;
  #incoming: Promise<void> = Promise.resolve();
  #counter = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** Use `createPgEventBus`, which also waits until the bus listens. */
  constructor(options: PgEventBusOptions) {
    this.#options = options;
    this.#channel = options.channel ?? 'behalf_events';
    this.#local = new LocalEventBus((error) => this.#report(error));
    this.#publisher = new Pool({
      connectionString: options.connectionString,
      max: 1,
      connectionTimeoutMillis: 5000,
      application_name: `behalf-events-notify:${this.origin}`,
    });
    this.#publisher.on('error', (error) => this.#report(error));
  }

  publish(event: DomainEvent): void {
    if (this.#closed) return;
    this.#local.publish(event);
    try {
      // The counter makes every payload unique (see NOTIFY_BATCH); it rides in the origin field.
      this.#pending.push(...encodeEvent(event, () => `${this.origin}#${this.#counter++}`));
    } catch (error) {
      this.#report(error);
      return;
    }
    if (this.#pending.length > MAX_PENDING) {
      const dropped = this.#pending.splice(0, this.#pending.length - MAX_PENDING).length;
      this.#report(new AppError('unavailable', `Dropped ${dropped} events waiting for PostgreSQL.`));
    }
    this.#sending ??= this.#drain();
  }

  subscribe(handler: (event: DomainEvent) => void): () => void {
    return this.#local.subscribe(handler);
  }

  /** Stops listening, sends what is already published, then releases both connections. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  /** Connects the listening connection and LISTENs; resolves once notifications can arrive. */
  async listen(): Promise<void> {
    if (this.#listener || this.#closed) return;
    const listener = new Client({
      connectionString: this.#options.connectionString,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      application_name: `behalf-events-listen:${this.origin}`,
    });
    listener.on('notification', (notification) => this.#onNotification(notification));
    listener.on('error', (error) => this.#onLost(listener, error));
    listener.on('end', () => this.#onLost(listener, new Error('the event connection to PostgreSQL closed')));
    try {
      await listener.connect();
      await listener.query(`LISTEN ${escapeIdentifier(this.#channel)}`);
    } catch (error) {
      listener.removeAllListeners();
      listener.on('error', () => {});
      await listener.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await listener.end().catch(() => {});
      return;
    }
    this.#listener = listener;
  }

  #onNotification(notification: Notification): void {
    if (notification.channel !== this.#channel || notification.payload === undefined) return;
    const envelope = decodeEnvelope(notification.payload);
    if (!envelope) {
      this.#report(new AppError('bad_request', 'Ignored a notification that is not a Behalf event.'));
      return;
    }
    if (envelope.o.startsWith(`${this.origin}#`)) return;
    // One chain, so a notification whose object must be loaded does not let later ones overtake it.
    this.#incoming = this.#incoming.then(async () => {
      try {
        const event = await resolveEnvelope(envelope, this.#options.source);
        if (!event) throw new AppError('not_found', `The object of a ${envelope.r?.type} event is gone.`);
        if (!this.#closed) this.#local.publish(event);
      } catch (error) {
        this.#report(error);
      }
    });
  }

  #onLost(listener: Client, error: Error): void {
    if (this.#listener !== listener) return;
    this.#listener = undefined;
    listener.removeAllListeners();
    listener.on('error', () => {});
    listener.end().catch(() => {});
    if (this.#closed) return;
    this.#report(error);
    this.#scheduleReconnect(this.#options.reconnectDelayMs?.initial ?? 100);
  }

  #scheduleReconnect(delay: number): void {
    const max = this.#options.reconnectDelayMs?.max ?? 5000;
    this.#reconnectTimer = setTimeout(async () => {
      this.#reconnectTimer = undefined;
      try {
        await this.listen();
        if (!this.#closed) this.#options.onResync?.();
      } catch (error) {
        this.#report(error);
        if (!this.#closed) this.#scheduleReconnect(Math.min(delay * 2, max));
      }
    }, delay);
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      try {
        await this.#publisher.query(NOTIFY_BATCH, [this.#channel, batch]);
      } catch (error) {
        this.#report(error);
      }
    }
    this.#sending = undefined;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) {
      listener.removeAllListeners();
      listener.on('error', () => {});
      await listener.end().catch(() => {});
    }
    await this.#sending;
    await this.#publisher.end();
    await this.#local.close();
  }

  #report(error: unknown): void {
    this.#options.onError?.(error);
  }
}

/**
 * A `PgEventBus` that already listens: events other processes publish from now on reach its
 * subscribers. An unreachable database fails with `AppError('unavailable')`.
 */
export async function createPgEventBus(options: PgEventBusOptions): Promise<PgEventBus> {
  const bus = new PgEventBus(options);
  try {
    await bus.listen();
  } catch (error) {
    await bus.close();
    throw unavailable(error, describeDatabase(options.connectionString));
  }
  return bus;
}
