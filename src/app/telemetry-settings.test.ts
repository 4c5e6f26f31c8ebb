import { describe, expect, it } from 'vitest';
import { isAppError } from '../protocol/errors.ts';
import { telemetrySettingsFromEnv } from './telemetry-settings.ts';

describe('telemetrySettingsFromEnv (OTEL_* variables)', () => {
  it('builds nothing when no endpoint is configured', () => {
    expect(telemetrySettingsFromEnv({})).toBeNull();
    expect(telemetrySettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_SERVICE_NAME: 'x' })).toBeNull();
  });

  it('appends /v1/traces to the base endpoint and takes the traces endpoint as is', () => {
    expect(telemetrySettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'behalf',
    });
    expect(telemetrySettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/otlp/' })?.url).toBe(
      'https://otel.example.com/otlp/v1/traces',
    );
    expect(
      telemetrySettingsFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/traces',
      })?.url,
    ).toBe('http://collector:4318/custom/traces');
  });

  it('reads headers, the signal-specific ones overriding, and the service name', () => {
    const settings = telemetrySettingsFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=general, x-team=a%20b',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=traces',
      OTEL_SERVICE_NAME: 'behalf-eu',
    });
    expect(settings?.headers).toEqual({ 'x-api-key': 'traces', 'x-team': 'a b' });
    expect(settings?.serviceName).toBe('behalf-eu');
  });

  it('is off when the SDK or the traces exporter is disabled', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(telemetrySettingsFromEnv({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(telemetrySettingsFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://secret@collector/' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' },
      'OTEL_EXPORTER_OTLP_HEADERS',
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'grpc'],
  ])('refuses to start on %j', (env, named) => {
    let thrown: unknown;
    try {
      telemetrySettingsFromEnv(env);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code === 'bad_request').toBe(true);
    expect((thrown as Error).message).toContain(named);
    expect((thrown as Error).message).not.toContain('secret');
  });
});
