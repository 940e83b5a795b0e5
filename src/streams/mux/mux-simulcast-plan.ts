/**
 * Which Mux simulcast targets to delete and which to create so a live stream's targets are the
 * creator's enabled restream targets. Ours carry `passthrough: "vybzz:<target id>"`; others are left
 * alone. Pure: unit-tested beside this file.
 */
export interface MuxSimulcastTargetLike {
  id: string;
  passthrough?: string | null;
}

export interface SimulcastDestination {
  id: string;
  name: string;
  url: string;
  streamKey: string;
}

export interface SimulcastPlan {
  /** Mux simulcast target ids to delete. */
  remove: string[];
  /** Restream targets to create on Mux, in the creator's order. */
  add: SimulcastDestination[];
}

const PREFIX = 'vybzz:';

export const simulcastPassthrough = (targetId: string) => `${PREFIX}${targetId}`;

export function planSimulcast(
  current: readonly MuxSimulcastTargetLike[],
  desired: readonly SimulcastDestination[],
): SimulcastPlan {
  const wanted = new Set(desired.map((d) => simulcastPassthrough(d.id)));
  const have = new Set<string>();
  const remove: string[] = [];
  for (const t of current) {
    const p = t.passthrough ?? '';
    if (!p.startsWith(PREFIX)) continue;
    // A target we no longer want, or a second copy of one (a create that was retried).
    if (!wanted.has(p) || have.has(p)) remove.push(t.id);
    else have.add(p);
  }
  return { remove, add: desired.filter((d) => !have.has(simulcastPassthrough(d.id))) };
}

/** An error text with every stream key blanked out (Mux's answers never quote it; be sure anyway). */
export function withoutKeys(text: string, keys: readonly string[]): string {
  let out = text;
  for (const k of keys) if (k.length >= 4) out = out.split(k).join('***');
  return out;
}
