import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedSerialQueue', () => {
  it('runs one key’s tasks in order even when earlier ones are slower', async () => {
    const queue = new KeyedSerialQueue(() => {});
    const order: number[] = [];
    for (const [index, delay] of [30, 1, 10].entries()) {
      queue.push('thread', async () => {
        await tick(delay);
        order.push(index);
      });
    }
    await queue.drain();
    expect(order).toEqual([0, 1, 2]);
  });

  it('runs different keys concurrently', async () => {
    const queue = new KeyedSerialQueue(() => {});
    const order: string[] = [];
    queue.push('slow', async () => {
      await tick(30);
      order.push('slow');
    });
    queue.push('fast', async () => {
      order.push('fast');
    });
    await queue.drain();
    expect(order).toEqual(['fast', 'slow']);
  });

  it('reports a failing task and keeps going', async () => {
    const errors: unknown[] = [];
    const queue = new KeyedSerialQueue((error) => errors.push(error));
    const done: string[] = [];
    queue.push('thread', async () => {
      throw new Error('boom');
    });
    queue.push('thread', async () => {
      done.push('after');
    });
    await queue.drain();
    expect(errors).toHaveLength(1);
    expect(done).toEqual(['after']);
  });
});
