import {
  IllegalTransitionError,
  StateMachine,
  type TransitionTable,
  illegalTransitions,
} from './state-machine';

type Light = 'red' | 'green' | 'amber' | 'off';
const TABLE: TransitionTable<Light> = {
  red: ['green', 'off'],
  green: ['amber', 'off'],
  amber: ['red', 'off'],
  off: [],
};

describe('StateMachine', () => {
  it('moves along the table and reports each change once', () => {
    const changes: string[] = [];
    const m = new StateMachine('light', TABLE, 'red', (to, from) => changes.push(`${from}>${to}`));
    expect(m.to('green')).toBe(true);
    expect(m.to('green')).toBe(false); // staying is no transition
    m.to('amber');
    expect(m.is('amber', 'red')).toBe(true);
    expect(m.can('red')).toBe(true);
    expect(m.can('green')).toBe(false);
    m.to('off');
    expect(m.final).toBe(true);
    expect(changes).toEqual(['red>green', 'green>amber', 'amber>off']);
  });

  it('refuses a transition the table does not list, and stays where it was', () => {
    const m = new StateMachine('light', TABLE, 'red');
    expect(() => m.to('amber')).toThrow(IllegalTransitionError);
    expect(() => m.to('amber')).toThrow('light: illegal transition red → amber');
    expect(m.state).toBe('red');
    m.to('off');
    for (const s of ['red', 'green', 'amber'] as const) expect(() => m.to(s)).toThrow(IllegalTransitionError);
  });

  it('lists the refused pairs of a table', () => {
    expect(illegalTransitions(TABLE)).toEqual([
      ['red', 'amber'],
      ['green', 'red'],
      ['amber', 'green'],
      ['off', 'red'],
      ['off', 'green'],
      ['off', 'amber'],
    ]);
  });
});
