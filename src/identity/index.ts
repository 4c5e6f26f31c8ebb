export {
  type AuthenticatedSession,
  csrfTokenMatches,
  hashSessionToken,
  type IssuedSession,
  SessionService,
  type SessionServiceOptions,
} from './session-service.ts';
export type { Session, SessionStore, User, UserId, UserInput, UserStore } from './types.ts';
