/**
 * Group commit: calls made within one turn of the event loop are handed to `flush` together, so N
 * concurrent webhook deliveries cost one database round trip instead of N. `flush` returns one result
 * per item, in order; a failed batch fails each of its callers.
 */
export class MicroBatcher<T, R = void> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 200,
    private readonly schedule: (run: () => void) => void = (run) => setImmediate(run),
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.flush(batch.map((b) => b.item)).then(
        (results) => {
          if (results.length !== batch.length) {
            const e = new Error(`batch of ${batch.length} answered with ${results.length} results`);
            batch.forEach((b) => b.reject(e));
          } else {
            results.forEach((r, i) => batch[i]?.resolve(r));
          }
        },
        (e: unknown) => batch.forEach((b) => b.reject(e)),
      );
    }
  }
}
