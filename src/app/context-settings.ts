import { AppError } from '../protocol/errors.ts';

/**
 * Reads `BEHALF_LAZY_CONTEXT`: unset, empty or `on` keeps lazy context (SPEC §13: earlier labelled
 * items enter a run as references); `off` is the eager design, where every visible item enters
 * as content and its labels join every later answer. Off exists to measure what lazy context
 * buys (`behalf bench multiplayer`), not as a recommended deployment.
 *
 * @throws AppError `bad_request` for any other value: a misconfigured deployment refuses to start.
 */
export function lazyContextFromEnv(env: Record<string, string | undefined>): boolean {
  const value = env.BEHALF_LAZY_CONTEXT?.trim().toLowerCase();
  if (!value || value === 'on') return true;
  if (value === 'off') return false;
  throw new AppError(
    'bad_request',
    `BEHALF_LAZY_CONTEXT must be "on" or "off", not ${JSON.stringify(value.slice(0, 40))}`,
  );
}
