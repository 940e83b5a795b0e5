/** Keyset cursor for "newest first": the (createdAt, id) of the last item of a page, opaque to clients. */
export interface PostCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Exactly what `toISOString()` writes for years 0000–9999 (no expanded ±YYYYYY years). */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Posts were written between these; a cursor outside cannot be one we issued (PostgreSQL's
 * timestamp range is narrower than JavaScript's Date, which made year −271821 a 500). */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export function encodeCursor(c: PostCursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string): PostCursor | null {
  const [iso, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (rest.length || !id || !UUID.test(id) || !iso || !ISO.test(iso)) return null;
  const createdAt = new Date(iso);
  const t = createdAt.getTime();
  if (Number.isNaN(t) || t < EARLIEST || t > LATEST || createdAt.toISOString() !== iso) return null;
  return { createdAt, id };
}
