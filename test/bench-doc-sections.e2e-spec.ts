/** The full bench rewrites docs/benchmarks.md and keeps the sections the phase runs wrote. */
import { keepPhaseSections, phaseSections, putSection } from './support/doc-sections';

const uplink = '<!-- uplink:start -->\n## Uplink\n\n| a | b |\n| - | - |\n| 1 | $2 |\n<!-- uplink:end -->';
const chat = '<!-- chat:start -->\n## Chat\n\n5000 messages/s\n<!-- chat:end -->';
const previous = `# Benchmarks\n\nold sweep numbers\n\n${uplink}\n\nsome note\n\n${chat}\n`;
const fresh = '# Benchmarks\n\nnew sweep numbers\n';

describe('docs/benchmarks.md phase sections', () => {
  it('keeps every phase section of the previous page when the full run rewrites it', () => {
    const merged = keepPhaseSections(fresh, previous);
    expect(merged).toContain('new sweep numbers');
    expect(merged).not.toContain('old sweep numbers');
    expect(phaseSections(merged)).toEqual([
      { name: 'uplink', text: uplink },
      { name: 'chat', text: chat },
    ]);
    expect(merged.startsWith(fresh.trimEnd())).toBe(true);
  });

  it('prefers a section the fresh page renders itself, and is stable when run twice', () => {
    const newChat = '<!-- chat:start -->\n## Chat\n\n9000 messages/s\n<!-- chat:end -->';
    const merged = keepPhaseSections(`${fresh}\n${newChat}\n`, previous);
    expect(merged).toContain('9000 messages/s');
    expect(merged).not.toContain('5000 messages/s');
    expect(merged).toContain(uplink);
    expect(keepPhaseSections(merged, merged)).toBe(merged);
  });

  it('writes one phase section in place or appends it, leaving the rest alone', () => {
    const newUplink = uplink.replace('| 1 | $2 |', '| 3 | $& |');
    const replaced = putSection(previous, { name: 'uplink', text: newUplink });
    expect(replaced).toBe(previous.replace(uplink, newUplink));
    const storm = '<!-- storm:start -->\nstorm\n<!-- storm:end -->';
    expect(putSection(fresh, { name: 'storm', text: storm })).toBe(`${fresh.trimEnd()}\n\n${storm}\n`);
    expect(keepPhaseSections(fresh, null)).toBe(fresh);
  });
});
