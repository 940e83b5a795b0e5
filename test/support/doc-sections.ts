/**
 * docs/benchmarks.md is written by several bench runs: the full run (`npm run bench`) renders the
 * whole page, and each phase (`npm run bench -- --only=<phase>`) only its own section between
 * `<!-- <phase>:start -->` and `<!-- <phase>:end -->`. These helpers let each write its part without
 * losing the others'.
 */
export interface PhaseSection {
  name: string;
  /** The section, its two markers included. */
  text: string;
}

const SECTION = /<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g;

/** The phase sections of a page, in page order. */
export function phaseSections(md: string): PhaseSection[] {
  return [...md.matchAll(SECTION)].map((m) => ({ name: m[1] ?? '', text: m[0] }));
}

/** The page with `section` in place of its namesake, or appended when the page has none. */
export function putSection(md: string, section: PhaseSection): string {
  const re = new RegExp(`<!-- ${section.name}:start -->[\\s\\S]*?<!-- ${section.name}:end -->`);
  // A function as the replacement: `$` in the section's text is not a pattern.
  if (re.test(md)) return md.replace(re, () => section.text);
  return `${md.trimEnd()}\n\n${section.text}\n`;
}

/**
 * A freshly rendered page that keeps the phase sections of the `previous` page it replaces: those the
 * fresh page has too come from the fresh one; the others are appended, in their previous order.
 */
export function keepPhaseSections(fresh: string, previous: string | null): string {
  if (!previous) return fresh;
  const rendered = new Set(phaseSections(fresh).map((s) => s.name));
  return phaseSections(previous)
    .filter((s) => !rendered.has(s.name))
    .reduce((md, s) => putSection(md, s), fresh);
}
