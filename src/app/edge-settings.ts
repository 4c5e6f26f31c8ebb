import { isIP } from 'node:net';
import { AppError } from '../protocol/errors.ts';

/** Settings of the HTTP/WebSocket edge that a deployment sets in its environment. */
export interface EdgeSettings {
  /** Reverse proxies whose `X-Forwarded-For` names a request's source (`BEHALF_TRUSTED_PROXIES`). */
  trustedProxies?: string[];
  /** Sockets one person may hold open at once (`BEHALF_WS_CONNECTIONS_PER_USER`). */
  maxConnectionsPerUser?: number;
}

/**
 * Reads `BEHALF_TRUSTED_PROXIES` (IP addresses, comma- or space-separated) and
 * `BEHALF_WS_CONNECTIONS_PER_USER` (1–1000); unset or empty means none and 20.
 *
 * @throws AppError `bad_request` naming the variable for a value that is not an IP address or
 *   not a whole number in range: a misconfigured deployment refuses to start.
 */
export function edgeSettingsFromEnv(env: Record<string, string | undefined>): EdgeSettings {
  const proxies = (env.BEHALF_TRUSTED_PROXIES ?? '').split(/[\s,]+/).filter(Boolean);
  const invalid = proxies.find((proxy) => isIP(proxy) === 0);
  if (invalid !== undefined) {
    throw new AppError(
      'bad_request',
      `BEHALF_TRUSTED_PROXIES lists IP addresses, not ${JSON.stringify(invalid.slice(0, 60))}`,
    );
  }
  const capText = env.BEHALF_WS_CONNECTIONS_PER_USER?.trim();
  const cap = capText ? (/^\d+$/.test(capText) ? Number(capText) : Number.NaN) : undefined;
  if (cap !== undefined && !(Number.isSafeInteger(cap) && cap >= 1 && cap <= 1000)) {
    throw new AppError(
      'bad_request',
      `BEHALF_WS_CONNECTIONS_PER_USER must be a whole number from 1 to 1000, not ${JSON.stringify(capText?.slice(0, 40))}`,
    );
  }
  return {
    ...(proxies.length > 0 ? { trustedProxies: proxies } : {}),
    ...(cap !== undefined ? { maxConnectionsPerUser: cap } : {}),
  };
}
