import { useEffect, useRef } from 'react';

const WAIT_MS = 4000;

/**
 * After a client-side navigation, moves keyboard focus to the new page's main heading (once it has
 * rendered: pages load their data first), so keyboard and screen-reader users start at the top of
 * the new page. Leaves focus alone on the first load, in a form field and in a dialog.
 */
export function useFocusOnNavigate(key: string) {
  // The key of the last page focus was handled for: the first load (and StrictMode's second run of
  // the same effect) is not a navigation.
  const handled = useRef(key);
  useEffect(() => {
    if (handled.current === key) return;
    handled.current = key;
    const deadline = Date.now() + WAIT_MS;
    let frame = 0;
    // Focus the page put somewhere on purpose (an autofocus field, an open dialog) stays there.
    const untouched = () => {
      const a = document.activeElement;
      if (!a || a === document.body || !a.isConnected) return true;
      return !a.matches('input, textarea, select, [contenteditable]') && !a.closest('dialog');
    };
    const tryFocus = () => {
      if (!untouched()) return; // the user (or the page, e.g. an autofocus field) moved focus already
      const h1 = document.querySelector<HTMLElement>('main h1');
      if (h1) {
        if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
        h1.focus();
        return;
      }
      if (Date.now() < deadline) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [key]);
}
