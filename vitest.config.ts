import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one (here: a single worker on 2 cores), while
    // most files spend much of their time waiting on PostgreSQL, Chromium, spawned servers and
    // sockets. Every file already works in its own database, port (0) and temporary directory.
    maxWorkers: 3,
  },
});
