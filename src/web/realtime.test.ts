import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../protocol/wire.ts';
import { RealtimeClient, type SocketLike } from './realtime.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: unknown[] = [];
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  receive(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

describe('RealtimeClient', () => {
  let sockets: FakeSocket[];
  let client: RealtimeClient;
  const statuses: Array<[string, boolean]> = [];

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    statuses.length = 0;
    client = new RealtimeClient({
      url: 'ws://test/api/ws',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      backoff: (attempt) => 100 * 2 ** attempt,
    });
    client.onStatus((status, reconnected) => statuses.push([status, reconnected]));
  });
  afterEach(() => {
    client.stop();
    vi.useRealTimers();
  });

  it('subscribes once open and again after a reconnect, reporting the reconnect', () => {
    client.start();
    client.subscribe('thr_1');
    expect(sockets[0]?.sent).toEqual([]);
    sockets[0]?.open();
    expect(sockets[0]?.sent).toEqual([{ type: 'subscribe', threadId: 'thr_1' }]);
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    sockets[1]?.open();
    expect(sockets[1]?.sent).toEqual([{ type: 'subscribe', threadId: 'thr_1' }]);
    expect(statuses.at(-1)).toEqual(['open', true]);
  });

  it('backs off exponentially while the server is down and resets after success', () => {
    client.start();
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(100);
    sockets[1]?.drop(1006);
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.open();
    sockets[2]?.drop(1006);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(4);
  });

  it('delivers frames to listeners and forgets threads the server unsubscribed', () => {
    const frames: ServerFrame[] = [];
    client.onFrame((frame) => frames.push(frame));
    client.start();
    client.subscribe('thr_1');
    sockets[0]?.open();
    sockets[0]?.receive({ type: 'unsubscribed', threadId: 'thr_1', reason: 'removed' });
    expect(frames).toEqual([{ type: 'unsubscribed', threadId: 'thr_1', reason: 'removed' }]);
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(100);
    sockets[1]?.open();
    expect(sockets[1]?.sent).toEqual([]);
  });

  it('stops reconnecting when the session has ended', () => {
    const ended = vi.fn();
    client = new RealtimeClient({
      createSocket: () => sockets[sockets.push(new FakeSocket()) - 1]!,
      url: 'ws://x',
      onSessionEnded: ended,
    });
    client.start();
    sockets[0]?.open();
    sockets[0]?.drop(4401);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(ended).toHaveBeenCalledOnce();
  });
});
