import type { ClientFrame, ServerFrame } from '../protocol/wire.ts';

/** Connection state shown in the header. */
export type RealtimeStatus = 'connecting' | 'open' | 'closed';

/** The part of the browser WebSocket the client uses (tests pass a fake). */
export interface SocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface RealtimeOptions {
  /** Absolute `ws:`/`wss:` URL; default `/api/ws` on the page's host. */
  url?: string;
  createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt `n` (0-based); default exponential 0.5 s … 10 s with jitter. */
  backoff?: (attempt: number) => number;
  pingIntervalMs?: number;
  /** The server closed with `sessionEnded` (4401): reconnecting is pointless until sign-in. */
  onSessionEnded?: () => void;
}

type FrameListener = (frame: ServerFrame) => void;
type StatusListener = (status: RealtimeStatus, reconnected: boolean) => void;

const OPEN = 1;
/** `WS_CLOSE_CODES.sessionEnded` of wire.ts (a value import would bundle zod). */
const SESSION_ENDED = 4401;

/**
 * The UI's WebSocket client for `GET /api/ws` (cookie auth). It remembers the threads it is
 * subscribed to and subscribes again after every reconnect; listeners learn about reconnects so
 * they can refetch what they missed while offline.
 */
export class RealtimeClient {
  private socket: SocketLike | null = null;
  private readonly subscriptions = new Set<string>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private attempt = 0;
  private everOpened = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  status: RealtimeStatus = 'closed';

  constructor(private readonly options: RealtimeOptions = {}) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this.setStatus('closed', false);
  }

  subscribe(threadId: string): void {
    this.subscriptions.add(threadId);
    this.send({ type: 'subscribe', threadId });
  }

  unsubscribe(threadId: string): void {
    if (!this.subscriptions.delete(threadId)) return;
    this.send({ type: 'unsubscribe', threadId });
  }

  /** Registers a frame listener; returns the function that removes it. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Registers a status listener; `reconnected` is true on every open after the first. */
  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private connect(): void {
    this.setStatus('connecting', false);
    const socket = (this.options.createSocket ?? defaultSocket)(this.options.url ?? defaultUrl());
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      for (const threadId of this.subscriptions) this.send({ type: 'subscribe', threadId });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), this.options.pingIntervalMs ?? 25_000);
      this.setStatus('open', reconnected);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      // The server ended this subscription; resubscribing after a reconnect would be refused.
      if (frame.type === 'unsubscribed') this.subscriptions.delete(frame.threadId);
      for (const listener of this.frameListeners) listener(frame);
    };
    socket.onerror = () => socket.close();
    socket.onclose = (event) => {
      clearInterval(this.pingTimer);
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.setStatus('closed', false);
      if (event.code === SESSION_ENDED) {
        this.stopped = true;
        this.options.onSessionEnded?.();
        return;
      }
      const delay = (this.options.backoff ?? defaultBackoff)(this.attempt++);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private send(frame: ClientFrame): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: RealtimeStatus, reconnected: boolean): void {
    if (status === this.status && !reconnected) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status, reconnected);
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/ws`;
}

function defaultSocket(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}
