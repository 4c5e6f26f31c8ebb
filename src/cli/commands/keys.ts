import { openDeployment } from '../../app/open-deployment.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf keys rotate`: delegation grants are signed with a new Ed25519 key from now on; the
 * previous key keeps verifying until the grants it signed have expired (at most 5 minutes), then
 * leaves the JWKS. Running servers pick the new key up within a minute (they reload the ring).
 */
export async function keysRotateCommand(options: { data: string }, output: CommandOutput): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const before = deployment.app.grants.jwks().keys.map((key) => key.kid);
    const kid = await deployment.app.grants.rotate();
    output.out(
      `Signing with key ${kid}; previous keys verify until their grants expire: ${before.join(', ') || 'none'}`,
    );
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}

/** `behalf keys list`: the public keys that currently verify grants (the JWKS). */
export async function keysListCommand(
  options: { data: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const jwks = deployment.app.grants.jwks();
    if (options.json) output.out(JSON.stringify(jwks));
    else for (const key of jwks.keys) output.out(`${key.kid}  ${key.alg}  ${key.crv}`);
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}
