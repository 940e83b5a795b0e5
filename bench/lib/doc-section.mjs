/**
 * A phase's own section of docs/benchmarks.md (`<!-- <name>:start -->` … `<!-- <name>:end -->`),
 * written in place of its previous text (or appended), leaving the other sections alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { support } from './support.mjs';

const { putSection } = support('doc-sections');

/** `text` is the whole section, its two markers included. */
export function writeDocSection(root, name, text) {
  const file = join(root, 'docs/benchmarks.md');
  const md = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  writeFileSync(file, putSection(md, { name, text }));
}
