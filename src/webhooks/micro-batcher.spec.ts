import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('hands calls made in the same turn to one flush, and settles every caller', async () => {
    const flushed: number[][] = [];
    const b = new MicroBatcher<number, number>(async (items) => {
      flushed.push(items);
      return items.map((n) => n * 10);
    });
    expect(await Promise.all([b.add(1), b.add(2), b.add(3)])).toEqual([10, 20, 30]);
    expect(await b.add(4)).toBe(40);
    expect(flushed).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a large turn into batches of at most maxBatch', async () => {
    const flushed: number[][] = [];
    const b = new MicroBatcher<number>(async (items) => {
      flushed.push(items);
      return items.map(() => undefined);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.add(n)));
    expect(flushed).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every caller of a failed batch, and later batches still run', async () => {
    let fail = true;
    const b = new MicroBatcher<string>(async (items) => {
      if (fail) throw new Error('database gone');
      return items.map(() => undefined);
    });
    const results = await Promise.allSettled([b.add('a'), b.add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(b.add('c')).resolves.toBeUndefined();
  });

  it('waits for the scheduler: nothing is flushed before it runs', async () => {
    const queued: (() => void)[] = [];
    const flushed: string[][] = [];
    const b = new MicroBatcher<string>(
      async (items) => {
        flushed.push(items);
        return items.map(() => undefined);
      },
      10,
      (run) => queued.push(run),
    );
    const p = b.add('x');
    expect(flushed).toEqual([]);
    expect(queued).toHaveLength(1);
    queued[0]!();
    await p;
    expect(flushed).toEqual([['x']]);
  });

  it('fails the batch when flush answers the wrong number of results', async () => {
    const b = new MicroBatcher<number, number>(async () => [1]);
    const results = await Promise.allSettled([b.add(1), b.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
