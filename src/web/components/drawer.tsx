import { type KeyboardEvent, type ReactNode, useEffect, useRef } from 'react';
import { focusableIn, wrapTarget } from '../focus.ts';

interface DrawerProps {
  /** Narrow windows: the drawer slides over the page; otherwise its content is docked in place. */
  modal: boolean;
  open: boolean;
  onClose: () => void;
  side: 'left' | 'right';
  /** Accessible name of the drawer (and, prefixed with "Close", of its backdrop). */
  label: string;
  testId: string;
  children: ReactNode;
}

/**
 * A side panel that becomes a drawer on narrow windows (issue 11.1, 11.2). Docked, it adds no
 * box (`display: contents`) and no behaviour. As a drawer it is a modal dialog: opening moves
 * focus to its first control, Tab stays inside, Escape or the backdrop closes it, and closing
 * returns focus to whatever opened it.
 */
export function Drawer({ modal, open, onClose, side, label, testId, children }: DrawerProps) {
  const ref = useRef<HTMLDivElement>(null);
  const active = modal && open;

  useEffect(() => {
    if (!active) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (focusableIn(ref.current)[0] ?? ref.current)?.focus();
    return () => {
      // Back to the opener, unless the reader has already moved on (a link opened another page).
      const now = document.activeElement;
      if (!now || now === document.body || ref.current?.contains(now)) {
        if (opener?.isConnected) opener.focus();
      }
    };
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!active || event.defaultPrevented) return;
    // A dialog opened from inside the drawer handles its own keys.
    if (event.target instanceof Element && event.target.closest('dialog')) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      const current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const target = wrapTarget(focusableIn(ref.current), current, event.shiftKey);
      if (target) {
        event.preventDefault();
        target.focus();
      }
    }
  };

  return (
    <>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: keys bubble here from the drawer's controls */}
      <div
        ref={ref}
        className={`drawer drawer-${side}`}
        data-testid={testId}
        data-modal={modal ? 'true' : 'false'}
        data-open={open ? 'true' : 'false'}
        {...(active ? { role: 'dialog', 'aria-modal': true, 'aria-label': label, tabIndex: -1 } : {})}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
      {active ? (
        <button
          type="button"
          className="drawer-backdrop"
          aria-label={`Close ${label.toLowerCase()}`}
          tabIndex={-1}
          data-testid={`${testId}-backdrop`}
          onClick={onClose}
        />
      ) : null}
    </>
  );
}
