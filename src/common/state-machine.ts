/**
 * An explicit lifecycle: the states, and for each state the states it may move to. Staying in the
 * current state is not a transition (a no-op); any move the table does not list is refused with an
 * `IllegalTransitionError`, so a lifecycle bug shows up where it happens instead of as a wrong state
 * reported much later.
 */
export type TransitionTable<S extends string> = { readonly [From in S]: readonly S[] };

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: illegal transition ${from} → ${to}`);
  }
}

export class StateMachine<S extends string> {
  private current: S;

  constructor(
    /** Names the machine in errors. */
    readonly name: string,
    private readonly table: TransitionTable<S>,
    initial: S,
    /** Called after every transition (not for a no-op). */
    private readonly onChange?: (to: S, from: S) => void,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** Whether the current state is one of `states`. */
  is(...states: S[]): boolean {
    return states.includes(this.current);
  }

  /** A state nothing leaves. */
  get final(): boolean {
    return this.table[this.current].length === 0;
  }

  /** Whether `to` is the current state or a legal next one. */
  can(to: S): boolean {
    return to === this.current || this.table[this.current].includes(to);
  }

  /** Moves to `to`; false when already there. Throws IllegalTransitionError on a move the table refuses. */
  to(to: S): boolean {
    const from = this.current;
    if (to === from) return false;
    if (!this.table[from].includes(to)) throw new IllegalTransitionError(this.name, from, to);
    this.current = to;
    this.onChange?.(to, from);
    return true;
  }
}

/** Every (from, to) pair of a table that it refuses: what the lifecycle specs check is refused. */
export function illegalTransitions<S extends string>(table: TransitionTable<S>): [S, S][] {
  const states = Object.keys(table) as S[];
  return states.flatMap((from) =>
    states.filter((to) => to !== from && !table[from].includes(to)).map((to): [S, S] => [from, to]),
  );
}
