/**
 * axe-core, the accessibility engine, injected into a real page (the context needs `bypassCSP: true`:
 * the app's CSP refuses inline scripts). Every scan is kept; `expectClean()` fails the test on any
 * critical or serious violation, naming the page state, the rule and the elements.
 */
import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, SCREENSHOT_DIR } from './browser';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  state: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

interface RawViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

export class AxeLog {
  readonly scanned: string[] = [];
  readonly findings: AxeFinding[] = [];

  /** Scans the whole document as it is now; keeps critical and serious violations. */
  async scan(page: Page, state: string): Promise<AxeFinding[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
    // Colours are judged at rest: let finite CSS transitions (a button turning red) finish first,
    // or axe measures a colour half-way between two states.
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Infinity)))
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> };
        }
      ).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations as RawViolation[];
    });
    const found = violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({
        state,
        id: v.id,
        impact: v.impact!,
        help: v.help,
        targets: v.nodes
          .slice(0, 6)
          .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.trim()),
      }));
    this.scanned.push(state);
    this.findings.push(...found);
    return found;
  }

  /** Throws when any scan found a critical or serious violation. */
  expectClean(): void {
    if (this.findings.length === 0) return;
    const lines = this.findings.map(
      (f) => `- [${f.state}] ${f.impact} ${f.id}: ${f.help}\n    ${f.targets.join('\n    ')}`,
    );
    throw new Error(`axe-core: ${this.findings.length} critical/serious violations\n${lines.join('\n')}`);
  }
}

/**
 * A screenshot for the README: always under test-artifacts/screenshots/docs/, and into docs/screenshots/
 * when VYBZZ_DOCS_SCREENSHOTS=1 (how they are refreshed; a normal run leaves the tree alone).
 */
export async function docShot(page: Page, name: string): Promise<void> {
  const dirs = [join(SCREENSHOT_DIR, 'docs')];
  if (process.env.VYBZZ_DOCS_SCREENSHOTS === '1') dirs.push(join(REPO_ROOT, 'docs', 'screenshots'));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' });
  }
}
