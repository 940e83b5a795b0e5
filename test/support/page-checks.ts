/** Checks the creator-experience browser specs make on a page: focus, tap targets, the header, field errors. */
import type { Page } from 'playwright-core';
import { eventually } from './eventually';

export interface Focused {
  tag: string;
  text: string;
  name: string | null;
  postId: string | null;
}

/** What has keyboard focus. */
export const focused = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return null;
    return {
      tag: a.tagName,
      text: (a.textContent ?? '').trim().slice(0, 80),
      name: a.getAttribute('name'),
      postId: a.getAttribute('data-post-id'),
    };
  });

export async function expectFocus(page: Page, what: string, test: (f: Focused) => boolean): Promise<void> {
  await eventually(
    `focus on ${what}`,
    async () => {
      const f = await focused(page);
      return f && test(f);
    },
    5000,
  );
}

/** Visible controls smaller than 44×44 px (the skip link is off screen until focused). */
export const smallTargets = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(
        ({ el, r }) =>
          r.width > 0 &&
          r.height > 0 &&
          r.right > 0 &&
          r.left < innerWidth &&
          !el.closest('dialog:not([open])'),
      )
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el.outerHTML.slice(0, 90)} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );

/** Pairs of header items that overlap, and items that leave the screen. */
export const headerClashes = (page: Page) =>
  page.evaluate(() => {
    const items = Array.from(
      document.querySelectorAll<HTMLElement>('.site-header a, .site-header button'),
    ).filter((el) => el.getBoundingClientRect().width > 0 && !el.classList.contains('skip-link'));
    const out: string[] = [];
    const rects = items.map((el) => ({
      t: (el.textContent ?? '').trim() || el.getAttribute('aria-label'),
      r: el.getBoundingClientRect(),
    }));
    rects.forEach((a, i) => {
      if (a.r.right > innerWidth + 0.5 || a.r.left < -0.5) out.push(`${a.t} leaves the screen`);
      rects.slice(i + 1).forEach((b) => {
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 0.5 && y > 0.5) out.push(`${a.t} overlaps ${b.t}`);
      });
    });
    return out;
  });

/** The element an input's aria-describedby names, holding `text`, must sit in the input's own field. */
export async function expectFieldError(page: Page, label: string, text: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await eventually(
    `${label} to be aria-invalid`,
    async () => (await input.getAttribute('aria-invalid')) === 'true',
    5000,
  );
  const ok = await input.evaluate((el, want) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const error = ids.map((id) => document.getElementById(id)).find((d) => d?.textContent === want);
    return !!error && error.closest('.field') === el.closest('.field');
  }, text);
  expect({ label, text, atItsField: ok }).toEqual({ label, text, atItsField: true });
}
