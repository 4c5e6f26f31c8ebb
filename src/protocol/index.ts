export { AppError, ERROR_CODES, type ErrorBody, type ErrorCode, isAppError, statusOf } from './errors.ts';
export * from './wire.ts';
