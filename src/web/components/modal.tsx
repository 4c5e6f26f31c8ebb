import { type ReactNode, useEffect, useId, useRef } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Action buttons, right-aligned under the body. */
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}

/**
 * A modal on the native `<dialog>`: the browser traps focus, Escape closes it and focus returns
 * to where it was, with no focus-management code of ours to get wrong.
 */
export function Modal({ title, onClose, children, footer, testId, wide = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal-wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
    >
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="modal-body">{children}</div>
      {footer ? <footer className="modal-footer">{footer}</footer> : null}
    </dialog>
  );
}

interface ModalActionsProps {
  onCancel: () => void;
  /** What the action button says. */
  label: string;
  testId: string;
  /** Absent: the action button submits the form it stands in. */
  onConfirm?: () => void;
  disabled?: boolean;
  /** A destructive action (removing a member) rather than the primary one. */
  danger?: boolean;
  cancelTestId?: string;
}

/** A dialog's two buttons: Cancel, then its action. */
export function ModalActions({
  onCancel,
  label,
  testId,
  onConfirm,
  disabled,
  danger = false,
  cancelTestId,
}: ModalActionsProps) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel} data-testid={cancelTestId}>
        Cancel
      </button>
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={`button ${danger ? 'button-danger' : 'button-primary'}`}
        disabled={disabled}
        onClick={onConfirm}
        data-testid={testId}
      >
        {label}
      </button>
    </>
  );
}
