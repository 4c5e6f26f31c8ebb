import type { OtlpTraceTarget } from '../observability/types.ts';
import { AppError } from '../protocol/errors.ts';

/** `service.name` of Behalf's spans unless `OTEL_SERVICE_NAME` says otherwise. */
export const DEFAULT_SERVICE_NAME = 'behalf';

/**
 * Reads the standard OpenTelemetry exporter variables. Tracing is on when
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (a base URL,
 * `/v1/traces` appended) is set, and off, building nothing, otherwise or when
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Headers come from
 * `OTEL_EXPORTER_OTLP_HEADERS`, overridden per name by `OTEL_EXPORTER_OTLP_TRACES_HEADERS`
 * (`name=value,...`, values URL-encoded). Spans are sent as OTLP/HTTP with JSON bodies.
 *
 * @returns null when tracing is off.
 * @throws AppError `bad_request` naming the variable for an endpoint that is not an http(s) URL,
 *   a malformed header list, or the gRPC protocol (not supported): a misconfigured deployment
 *   refuses to start rather than silently exporting nothing.
 */
export function telemetrySettingsFromEnv(env: Record<string, string | undefined>): OtlpTraceTarget | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return null;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!signal && !base) return null;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (protocol === 'grpc') {
    throw new AppError(
      'bad_request',
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: point the endpoint at the collector’s OTLP/HTTP port (4318)',
    );
  }
  const url = signal
    ? httpUrl(signal, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
    : `${httpUrl(base as string, 'OTEL_EXPORTER_OTLP_ENDPOINT').replace(/\/+$/, '')}/v1/traces`;
  return {
    url,
    headers: {
      ...headers(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...headers(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    serviceName: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
  };
}

function httpUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // The value is not echoed: an endpoint URL may carry credentials.
    throw new AppError('bad_request', `${name} must be an http(s) URL`);
  }
  return url.href;
}

/** The W3C-baggage-like list the OpenTelemetry specification defines; values never appear in errors. */
function headers(text: string | undefined, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    if (!pair.trim()) continue;
    const equals = pair.indexOf('=');
    const key = equals > 0 ? pair.slice(0, equals).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new AppError('bad_request', `${name} must be a list of name=value pairs separated by commas`);
    }
    try {
      result[key] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      throw new AppError('bad_request', `${name} has a value that is not URL-encoded correctly (header ${key})`);
    }
  }
  return result;
}
