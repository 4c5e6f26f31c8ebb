import { describe, expect, it } from 'vitest';
import { wrapTarget } from './focus.ts';

describe('wrapTarget: Tab stays inside an open drawer (issue 11.2)', () => {
  const controls = ['first', 'middle', 'last'];

  it('wraps from the last to the first, and with Shift from the first to the last', () => {
    expect(wrapTarget(controls, 'last', false)).toBe('first');
    expect(wrapTarget(controls, 'first', true)).toBe('last');
  });

  it('lets the browser move focus between inner controls', () => {
    expect(wrapTarget(controls, 'first', false)).toBeNull();
    expect(wrapTarget(controls, 'middle', true)).toBeNull();
  });

  it('pulls focus from outside back in, and does nothing in an empty drawer', () => {
    expect(wrapTarget(controls, null, false)).toBe('first');
    expect(wrapTarget(controls, 'elsewhere', true)).toBe('last');
    expect(wrapTarget([], 'first', false)).toBeNull();
  });
});
