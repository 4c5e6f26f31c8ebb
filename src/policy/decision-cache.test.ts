import { describe, expect, it } from 'vitest';
import { DecisionCache } from './decision-cache.ts';

const allow = { effect: 'allow', policies: ['p'] } as const;
const deny = { effect: 'deny', policies: [] } as const;

describe('DecisionCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new DecisionCache(2);
    cache.set('a', { ...allow, policies: ['p'] });
    cache.set('b', { ...deny, policies: [] });
    expect(cache.get('a')?.effect).toBe('allow');
    cache.set('c', { ...deny, policies: [] });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.effect).toBe('allow');
    expect(cache.get('c')?.effect).toBe('deny');
    expect(cache.size).toBe(2);
  });

  it('stores nothing with capacity 0, and clear() empties it', () => {
    const none = new DecisionCache(0);
    none.set('a', { ...allow, policies: ['p'] });
    expect(none.get('a')).toBeUndefined();
    const cache = new DecisionCache(10);
    cache.set('a', { ...allow, policies: ['p'] });
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
