import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the web UI (`src/web`) into `dist/web`, which the server serves at `/`. React 19's JSX
 * compiles with Vite's built-in transform (automatic runtime); no plugin is needed. Tests use
 * `vitest.config.ts`, which Vitest prefers over this file.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // `npx vite` serves the UI with hot reload against a running `behalf serve`.
    proxy: { '/api': { target: 'http://localhost:8787', ws: true } },
  },
});
