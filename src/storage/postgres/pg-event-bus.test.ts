import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aMessage, aThread } from '../../../test/support/conformance/storage/store-fixtures.ts';
import { describeEventBusConformance, MemoryPayloadSource } from '../../../test/support/event-bus-conformance.ts';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../../../test/support/postgres.ts';
import type { DomainEvent } from '../../events/types.ts';
import { createPgEventBus, type PgEventBus, type PgEventBusOptions } from './pg-event-bus.ts';
import { createPostgresStore } from './postgres-store.ts';

const postgres = await requirePostgres('PostgreSQL event bus tests (src/realtime/pg-event-bus)');

describe.skipIf(!postgres)('PgEventBus', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  const openBus = (options: Partial<PgEventBusOptions> = {}) =>
    createPgEventBus({ connectionString: database.url, source: new MemoryPayloadSource(), ...options });

  // Two buses, two pairs of connections: what two processes of one deployment have.
  describeEventBusConformance('PostgreSQL LISTEN/NOTIFY (two processes)', async (stored) => {
    const channel = `events_${Math.random().toString(36).slice(2)}`;
    const publisher = await openBus({ source: stored, channel });
    const subscriber = await openBus({ source: stored, channel });
    return {
      publisher,
      subscriber,
      cleanup: async () => {
        await publisher.close();
        await subscriber.close();
      },
    };
  });

  const received = (bus: PgEventBus) => {
    const events: DomainEvent[] = [];
    bus.subscribe((event) => events.push(event));
    return events;
  };
  const eventually = async (check: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const memberAdded = (userId: string): DomainEvent => ({ type: 'member-added', threadId: 'thr-1', userId });

  it('reconnects after its connection is killed, tells the app to resync, and receives again', async () => {
    const errors: unknown[] = [];
    let resyncs = 0;
    const subscriber = await openBus({
      onError: (error) => errors.push(error),
      onResync: () => resyncs++,
      reconnectDelayMs: { initial: 20, max: 200 },
    });
    const publisher = await openBus();
    try {
      const events = received(subscriber);
      const admin = new Client({ connectionString: database.url });
      await admin.connect();
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`behalf-events-listen:${subscriber.origin}`],
      );
      await admin.end();
      expect(rowCount).toBe(1);
      await eventually(() => resyncs === 1);
      expect(errors.length).toBeGreaterThan(0);
      publisher.publish(memberAdded('after-reconnect'));
      await eventually(() => events.length === 1);
      expect(events).toEqual([memberAdded('after-reconnect')]);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });

  it('ignores foreign or garbled notifications on its channel, reporting them', async () => {
    const errors: unknown[] = [];
    const subscriber = await openBus({ onError: (error) => errors.push(error) });
    const publisher = await openBus();
    try {
      const events = received(subscriber);
      await publisher.close();
      const admin = new Client({ connectionString: database.url });
      await admin.connect();
      for (const payload of ['not json', '{"v":2,"o":"x","e":{}}', '{"v":1,"o":"x","e":{"type":1}}', '[]']) {
        await admin.query('SELECT pg_notify($1, $2)', ['behalf_events', payload]);
      }
      await admin.end();
      await eventually(() => errors.length === 4);
      expect(events).toEqual([]);
    } finally {
      await subscriber.close();
    }
  });

  it('skips and reports a referenced object that cannot be loaded', async () => {
    const errors: unknown[] = [];
    const subscriber = await openBus({ onError: (error) => errors.push(error) });
    const publisher = await openBus();
    try {
      const events = received(subscriber);
      const message = { ...aMessage('gone', 'thr-1', { text: 'x'.repeat(10_000) }), seq: 1 };
      publisher.publish({ type: 'message-created', threadId: 'thr-1', message });
      publisher.publish(memberAdded('after'));
      await eventually(() => events.length === 1);
      expect(events).toEqual([memberAdded('after')]);
      expect(errors).toEqual([expect.objectContaining({ code: 'not_found' })]);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });

  it('loads a large message from the PostgreSQL store the other process wrote it to', async () => {
    const store = await createPostgresStore({ connectionString: database.url, poolSize: 2 });
    const subscriber = await openBus({ source: store });
    const publisher = await openBus({ source: store });
    try {
      const events = received(subscriber);
      await store.threads.create(aThread('thr-big'), ['alice']);
      const message = await store.messages.append(aMessage('big', 'thr-big', { text: 'ü'.repeat(50_000) }));
      publisher.publish({ type: 'message-created', threadId: 'thr-big', message });
      await eventually(() => events.length === 1);
      expect(events).toEqual([{ type: 'message-created', threadId: 'thr-big', message }]);
    } finally {
      await subscriber.close();
      await publisher.close();
      await store.close();
    }
  });

  it('fails with unavailable, naming host and port but not the password, when nothing listens', async () => {
    const attempt = createPgEventBus({
      connectionString: 'postgres://behalf:s3cret-pw@127.0.0.1:1/behalf',
      source: new MemoryPayloadSource(),
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('s3cret') });
  });

  it('measures the NOTIFY round trip between two processes (p50, p99)', async () => {
    const subscriber = await openBus();
    const publisher = await openBus();
    try {
      let arrived: (() => void) | undefined;
      subscriber.subscribe(() => arrived?.());
      const samples: number[] = [];
      for (let index = 0; index < 300; index++) {
        const delivered = new Promise<void>((resolve) => {
          arrived = resolve;
        });
        const start = performance.now();
        publisher.publish(memberAdded(`u${index}`));
        await delivered;
        if (index >= 50) samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      const at = (fraction: number) => samples[Math.floor(fraction * (samples.length - 1))] ?? Number.NaN;
      console.log(
        `NOTIFY round trip over ${samples.length} events: p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`,
      );
      // Loose: the figure is reported, not a target; this only catches a bus that stalls.
      expect(at(0.5)).toBeLessThan(250);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });
});
