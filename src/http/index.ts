export { createHttpApp, type HttpAppOptions } from './create-http-app.ts';
export { errorResponse, toAppError, type UnexpectedErrorReporter } from './error-handler.ts';
export { type RunningServer, type ServerOptions, startServer } from './server.ts';
export type { HttpEnv, RealtimeAcceptor, RequestAuth } from './types.ts';
export * from './wire-mappers.ts';
