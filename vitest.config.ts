import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Several suites set up by playing whole adversarial runs (every tool and argument) in
    // `beforeAll`; on a busy 2-core machine that alone passed 60 s.
    hookTimeout: 180_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // leaving a core to PostgreSQL, Chromium and spawned servers only. One per core instead; every
    // file already works in its own database, port (0) and temporary directory. More than the
    // cores did not pay: the files are mostly CPU-bound (3 workers ran a sample slower, with
    // setup timeouts, on a loaded 2-core machine).
    maxWorkers: 2,
  },
});
