import { access, constants } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';
import { requireService } from './services.ts';

/** Debian's Chromium (`apt-get install -y chromium`); `BEHALF_CHROMIUM` points elsewhere. */
export const CHROMIUM_PATH = process.env.BEHALF_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container: no sandbox (no user namespaces as root), no GPU,
 * and nothing that phones home (QUIC, component updates, sync, background networking), so a run
 * never waits on the network. Playwright gives every `launch()` a fresh temporary profile.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium with {@link CHROMIUM_ARGS}. Close it when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}

/**
 * Launches Chromium for a browser test file, or returns null (with a visible "skipped" notice)
 * where it is missing or cannot start — and throws instead under `BEHALF_REQUIRE_SERVICES=1`,
 * so CI never silently skips the browser tests. Use at the top of the file:
 * `const browser = await requireChromium('…'); describe.skipIf(!browser)(…)`.
 */
export async function requireChromium(skipping = 'browser end-to-end tests'): Promise<Browser | null> {
  let browser: Browser | null = null;
  const available = await requireService(
    'Chromium',
    async () => {
      await access(CHROMIUM_PATH, constants.X_OK).catch(() => {
        throw new Error(`no executable at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
      });
      browser = await launchChromium();
    },
    { skipping },
  );
  return available ? browser : null;
}
