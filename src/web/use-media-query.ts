import { useEffect, useState } from 'react';

/**
 * Below this width the thread list and the members panel become drawers and the header folds
 * into a menu. `styles.css` uses the same breakpoint (`@media (max-width: 767px)`).
 */
export const NARROW_QUERY = '(max-width: 767px)';

/** Whether a CSS media query matches now, following changes (window resized, phone rotated). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}
