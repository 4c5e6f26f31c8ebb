import { InvalidArgumentError } from 'commander';

/** Default data directory of the embedded deployment. */
export const DEFAULT_DATA_DIR = './data';

/** Parses a TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('a port from 0 to 65535');
  return port;
}

/** Parses a positive integer option. */
export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('a positive whole number');
  return number;
}
