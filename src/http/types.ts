import type { Session, User } from '../identity/types.ts';
import type { HubSocket, SocketPrincipal } from './realtime/hub-socket.ts';

/** How a request authenticated. Bearer requests are exempt from CSRF checks (no ambient credential). */
export interface RequestAuth {
  user: User;
  session: Session;
  via: 'cookie' | 'bearer';
}

/** Hono environment of the Behalf API: the resolved authentication, if any. */
export interface HttpEnv {
  Variables: { auth: RequestAuth | undefined };
}

/**
 * What the WebSocket route hands an upgraded socket to (the realtime hub). Kept as a port so
 * `createHttpApp` stays testable in-process without a server.
 */
export interface RealtimeAcceptor {
  /** Whether the user may open one more socket (a per-person cap); the upgrade is 429 when not. */
  hasRoomFor(userId: string): boolean;
  /** Takes over an open socket for an authenticated user. */
  accept(socket: HubSocket, principal: SocketPrincipal): void;
  /** Closes every socket opened with this session (logout). */
  closeSession(sessionHash: string): void;
}
