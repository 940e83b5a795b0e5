import { decodeCursor, encodeCursor } from './post-cursor';

const ID = '0b7c6f1e-2f3a-4c5d-8e9f-0a1b2c3d4e5f';
const raw = (text: string) => Buffer.from(text).toString('base64url');

describe('post cursor', () => {
  it('round-trips a cursor the app issued', () => {
    const c = { createdAt: new Date('2026-11-30T12:34:56.789Z'), id: ID };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it.each([
    ['year −271821', `-271821-04-20T00:00:00.000Z|${ID}`],
    ['year +275760', `+275760-09-13T00:00:00.000Z|${ID}`],
    ['before 1970', `1969-12-31T23:59:59.999Z|${ID}`],
    ['a date Date() rolls over', `2026-02-31T00:00:00.000Z|${ID}`],
    ['not ISO', `1700000000000|${ID}`],
    ['a third part', `2026-11-30T12:34:56.789Z|${ID}|x`],
    ['no id', '2026-11-30T12:34:56.789Z'],
    ['a NUL', `2026-11-30T12:34:56.789Z\u0000|${ID}`],
  ])('refuses %s', (_why, text) => {
    expect(decodeCursor(raw(text))).toBeNull();
  });
});
