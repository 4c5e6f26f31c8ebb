import { createServer } from 'node:net';

/**
 * A port free on `host` now, chosen by the OS. `serve --port 0` needs the port before it
 * listens: the grant issuer (`iss`, and the JWKS and OAuth metadata) names the server's own URL.
 * Another process could take it in between; then listening fails with EADDRINUSE, clearly.
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no free port'))));
    });
  });
}
