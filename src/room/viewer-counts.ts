/**
 * Viewer counts across instances (issue 11 item 4). Every instance publishes its own counts per room
 * with a heartbeat; the total of a room is this instance's count plus the fresh counts of the others.
 * An instance that stops heartbeating drops out once its entry is older than `staleMs`. Pure: time
 * comes from `now`.
 */
export interface CountsSnapshot {
  /** Heartbeat sequence of the sender: parts of one snapshot share it. */
  seq: number;
  part: number;
  parts: number;
  counts: Record<string, number>;
}

interface Remote {
  at: number;
  counts: Map<string, number>;
  pending: { seq: number; counts: Map<string, number>; got: number } | null;
}

export class ViewerCounts {
  private readonly remotes = new Map<string, Remote>();

  constructor(
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A snapshot (or one part of it) from another instance. */
  receive(from: string, s: CountsSnapshot): void {
    const r = this.remotes.get(from) ?? { at: 0, counts: new Map(), pending: null };
    this.remotes.set(from, r);
    if (!r.pending || r.pending.seq !== s.seq) r.pending = { seq: s.seq, counts: new Map(), got: 0 };
    for (const [room, n] of Object.entries(s.counts)) {
      if (Number.isInteger(n) && n > 0) r.pending.counts.set(room, n);
    }
    r.pending.got++;
    if (r.pending.got >= s.parts) {
      r.counts = r.pending.counts;
      r.at = this.now();
      r.pending = null;
    }
  }

  /** An instance said it is going away. */
  forget(from: string): void {
    this.remotes.delete(from);
  }

  /** The other instances' fresh total for a room. */
  remoteTotal(room: string): number {
    const t = this.now();
    let sum = 0;
    for (const [id, r] of this.remotes) {
      if (t - r.at > this.staleMs) {
        if (!r.pending) this.remotes.delete(id);
        continue;
      }
      sum += r.counts.get(room) ?? 0;
    }
    return sum;
  }

  /** Rooms any fresh instance counts viewers in. */
  remoteRooms(): Set<string> {
    const t = this.now();
    const rooms = new Set<string>();
    for (const r of this.remotes.values())
      if (t - r.at <= this.staleMs) for (const k of r.counts.keys()) rooms.add(k);
    return rooms;
  }
}

/** Splits this instance's counts into snapshot parts that fit a NOTIFY payload (≈ 60 bytes a room). */
export function snapshotParts(seq: number, counts: Map<string, number>, perPart = 100): CountsSnapshot[] {
  const entries = [...counts].filter(([, n]) => n > 0);
  const parts = Math.max(1, Math.ceil(entries.length / perPart));
  const out: CountsSnapshot[] = [];
  for (let p = 0; p < parts; p++) {
    out.push({
      seq,
      part: p,
      parts,
      counts: Object.fromEntries(entries.slice(p * perPart, (p + 1) * perPart)),
    });
  }
  return out;
}
