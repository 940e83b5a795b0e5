import { useEffect, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, RefObject, SyntheticEvent } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), video[controls], [tabindex]:not([tabindex="-1"])';

/**
 * A native <dialog> shown modally while `open`: the page behind is inert, Tab wraps inside the dialog,
 * Escape asks to close (onClose: the owner decides what closing means). When it unmounts, focus goes
 * to `returnFocus` (or to the page's main heading when that is gone); when it hides, to `hiddenFocus`.
 */
export function useModalDialog(
  onClose: () => void,
  returnFocus?: RefObject<HTMLElement | null>,
  open = true,
  /** Where focus goes when the dialog hides but stays mounted (default: returnFocus). */
  hiddenFocus?: RefObject<HTMLElement | null>,
) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) {
      dialog.close();
      restoreFocus(hiddenFocus, returnFocus);
    }
  }, [open, returnFocus, hiddenFocus]);

  useEffect(() => {
    const dialog = ref.current;
    return () => {
      const wasOpen = !!dialog?.open;
      if (wasOpen) dialog?.close();
      // After React removed the dialog, put focus back where it came from.
      if (wasOpen) restoreFocus(returnFocus);
    };
  }, [returnFocus]);

  const onCancel = (e: SyntheticEvent) => {
    e.preventDefault(); // Escape: let the owner unmount us (and stop everything)
    onCloseRef.current();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCloseRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !ref.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !ref.current.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  return { ref, onCancel, onKeyDown };
}

/** Focus to the first of `targets` that points at an element (read when focus moves), else main h1. */
function restoreFocus(...targets: (RefObject<HTMLElement | null> | undefined)[]): void {
  setTimeout(() => {
    const back = targets.map((t) => t?.current).find((el) => el);
    if (back?.isConnected) back.focus();
    else document.querySelector<HTMLElement>('main h1')?.focus();
  }, 0);
}
