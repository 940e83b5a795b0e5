import { planSimulcast, simulcastPassthrough, withoutKeys } from './mux-simulcast-plan';

const dest = (id: string) => ({ id, name: id, url: `rtmp://example.com/${id}`, streamKey: `key-${id}` });

describe('planSimulcast', () => {
  it('creates every target on a stream without simulcast targets', () => {
    expect(planSimulcast([], [dest('a'), dest('b')])).toEqual({ remove: [], add: [dest('a'), dest('b')] });
  });

  it('keeps what is there, deletes what is no longer wanted, and adds the rest', () => {
    const current = [
      { id: 'm1', passthrough: simulcastPassthrough('a') },
      { id: 'm2', passthrough: simulcastPassthrough('gone') },
    ];
    expect(planSimulcast(current, [dest('a'), dest('c')])).toEqual({ remove: ['m2'], add: [dest('c')] });
  });

  it('deletes a duplicate of one target and leaves targets it did not create', () => {
    const current = [
      { id: 'm1', passthrough: simulcastPassthrough('a') },
      { id: 'm2', passthrough: simulcastPassthrough('a') },
      { id: 'm3', passthrough: 'someone else' },
      { id: 'm4' },
    ];
    expect(planSimulcast(current, [dest('a')])).toEqual({ remove: ['m2'], add: [] });
    expect(planSimulcast(current, [])).toEqual({ remove: ['m1', 'm2'], add: [] });
  });

  it('blanks keys out of error texts', () => {
    expect(withoutKeys('400 bad key-a here', ['key-a', 'k'])).toBe('400 bad *** here');
  });
});
