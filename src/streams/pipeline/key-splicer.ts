/**
 * Replaces a placeholder with the real stream key in a byte stream (FFmpeg → RTMP server), across
 * TCP reads. Placeholder and key have the same length, so RTMP chunk and message sizes stay right.
 *
 * FFmpeg sends the play path (releaseStream, FCPublish, publish) within its first few KiB, each
 * AMF string inside one RTMP chunk (≤ 128 bytes until it raises the chunk size). During the first
 * `windowBytes`, a read ending in a prefix of the placeholder keeps that prefix back until the next
 * read completes or refutes it; after the window nothing is held back (no added latency for media)
 * and whole placeholders inside a read are still replaced (FCUnpublish at the end).
 */
export class KeySplicer {
  private carry: Buffer = Buffer.alloc(0);
  private seenBytes = 0;
  /** How many placeholders have been replaced. */
  replaced = 0;

  constructor(
    private readonly placeholder: Buffer,
    private readonly key: Buffer,
    private readonly windowBytes = 64 * 1024,
  ) {
    if (placeholder.length !== key.length || key.length === 0)
      throw new Error('placeholder and key must have the same, non-zero length');
  }

  /** The window has passed (without a placeholder in it, the peer is not the FFmpeg we started). */
  get windowPassed(): boolean {
    return this.seenBytes >= this.windowBytes;
  }

  /** Bytes to forward now for `chunk` (may be shorter or longer than it by a held-back prefix). */
  push(chunk: Buffer): Buffer {
    this.seenBytes += chunk.length;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    this.replaceAll(data);
    if (this.windowPassed) return data;
    const keep = this.partialTail(data);
    if (keep === 0) return data;
    this.carry = Buffer.from(data.subarray(data.length - keep));
    return data.subarray(0, data.length - keep);
  }

  /** Whatever is held back (the connection is closing). */
  flush(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private replaceAll(data: Buffer): void {
    for (
      let at = data.indexOf(this.placeholder);
      at >= 0;
      at = data.indexOf(this.placeholder, at + this.placeholder.length)
    ) {
      this.key.copy(data, at);
      this.replaced++;
    }
  }

  /** The longest tail of `data` (shorter than the placeholder) that the placeholder starts with. */
  private partialTail(data: Buffer): number {
    const max = Math.min(this.placeholder.length - 1, data.length);
    for (let k = max; k > 0; k--) {
      if (data.compare(this.placeholder, 0, k, data.length - k) === 0) return k;
    }
    return 0;
  }
}
