/** Focus helpers for the drawers and the header menu: which elements Tab reaches, and a trap. */

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements inside `container` that Tab reaches, in document order (hidden ones excluded). */
export function focusableIn(container: HTMLElement | null): HTMLElement[] {
  if (!container) return [];
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
}

/**
 * Which element Tab (or Shift+Tab) should move to so focus stays inside a modal container: the
 * first after the last, the last before the first; `null` lets the browser move focus itself.
 */
export function wrapTarget<T>(focusable: readonly T[], current: T | null, backwards: boolean): T | null {
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (first === undefined || last === undefined) return null;
  const index = current === null ? -1 : focusable.indexOf(current);
  if (index === -1) return backwards ? last : first;
  if (backwards && index === 0) return last;
  if (!backwards && index === focusable.length - 1) return first;
  return null;
}
