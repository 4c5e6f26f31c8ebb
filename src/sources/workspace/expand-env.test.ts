import { describe, expect, it } from 'vitest';
import { expandEnv } from './expand-env.ts';

describe('expandEnv', () => {
  it('expands variables and defaults, and refuses an unset variable without one', () => {
    const env = { HOST: 'db', EMPTY: '' };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: behalf.yaml syntax
    expect(expandEnv('postgres://a@${HOST}:5432/${DB:-clinic}', env, 'url')).toBe('postgres://a@db:5432/clinic');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: behalf.yaml syntax
    expect(expandEnv('${EMPTY:-pglite:x}', env, 'url')).toBe('pglite:x');
    expect(expandEnv('pglite:plain', env, 'url')).toBe('pglite:plain');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: behalf.yaml syntax
    expect(() => expandEnv('${MISSING}', env, 'source x: url')).toThrow(/source x: url uses \$\{MISSING\}/);
  });
});
