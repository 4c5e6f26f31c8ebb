import type { RawData } from 'ws';

/** `WebSocket.OPEN`. */
export const SOCKET_OPEN = 1;

/** `WebSocket.CLOSED`. */
export const SOCKET_CLOSED = 3;

/**
 * The part of a `ws` WebSocket the hub uses, so the delivery rules can be tested with a fake.
 * `bufferedAmount` is what backpressure reads: bytes queued but not yet written to the network.
 */
export interface HubSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
  on(event: 'pong', listener: () => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

/** The authenticated principal of a socket, fixed at the upgrade. */
export interface SocketPrincipal {
  userId: string;
  /** Hash of the session token, so logout can close the session's sockets. */
  sessionHash: string;
}
