import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestAuthority, EXPECTATION, segments } from '../../test/support/delegation-fixture.ts';

type Part = 'payload' | 'signature';

/** Replaces one byte of the decoded payload or signature, re-encoding canonically. */
function mutate(token: string, part: Part, index: number, delta: number): string {
  const [header, payload, signature] = segments(token);
  const bytes = base64url.decode(part === 'payload' ? payload : signature);
  const at = index % bytes.length;
  bytes[at] = (bytes[at]! + delta) % 256;
  const encoded = base64url.encode(bytes);
  return part === 'payload' ? `${header}.${encoded}.${signature}` : `${header}.${payload}.${encoded}`;
}

describe('signed grant tamper property', () => {
  it('rejects any single-byte mutation of a valid token payload or signature', async () => {
    const { authority, signToken } = await createTestAuthority();
    const token = await signToken();
    // Replay prevention off: a rejection must come from the tampering, not from reuse.
    const expectation = { ...EXPECTATION, preventReplay: false };
    expect((await authority.verify(token, expectation)).ok).toBe(true);

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Part>('payload', 'signature'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (part, index, delta) => {
          const check = await authority.verify(mutate(token, part, index, delta), expectation);
          expect(check.ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
