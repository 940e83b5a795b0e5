import { CloseCode } from './close-codes';
import { parseHello, parseServerMessage } from './ingest-protocol';

describe('parseHello', () => {
  it('accepts the hello and drops unknown fields', () => {
    expect(parseHello('{"type":"hello","token":"t","mimeType":"video/webm","x":1}')).toEqual({
      type: 'hello',
      token: 't',
      mimeType: 'video/webm',
    });
  });

  it.each([
    'not json',
    'null',
    '"hello"',
    '{"type":"hi","token":"t","mimeType":"m"}',
    '{"type":"hello","token":1,"mimeType":"m"}',
    '{"type":"hello","token":"t"}',
    JSON.stringify({ type: 'hello', token: 'x'.repeat(8193), mimeType: 'm' }),
    JSON.stringify({ type: 'hello', token: 't', mimeType: 'm'.repeat(201) }),
  ])('refuses %s', (text) => {
    expect(parseHello(text)).toBeNull();
  });
});

describe('parseServerMessage', () => {
  it('reads ready, status and error frames', () => {
    expect(parseServerMessage('{"type":"ready","streamId":"s1","video":"transcode"}')).toEqual({
      type: 'ready',
      streamId: 's1',
      video: 'transcode',
    });
    expect(parseServerMessage('{"type":"ready","streamId":"s1","video":"?"}')).toMatchObject({
      video: 'copy',
    });
    expect(
      parseServerMessage('{"type":"status","pipeline":{"state":"running"},"stream":{"isLive":true}}'),
    ).toEqual({ type: 'status', pipeline: { state: 'running' }, stream: { isLive: true } });
    expect(parseServerMessage('{"type":"error"}')).toEqual({
      type: 'error',
      message: 'Unknown server error',
    });
  });

  it('reads the ack, and ignores a malformed one', () => {
    const ack = { bytes: 1200, mediaMs: 4000, segment: 2 };
    expect(parseServerMessage(JSON.stringify({ type: 'status', ack }))).toEqual({ type: 'status', ack });
    for (const bad of [
      { bytes: 1 },
      { bytes: -1, mediaMs: 0, segment: 1 },
      { bytes: '1', mediaMs: 0, segment: 1 },
    ]) {
      expect(parseServerMessage(JSON.stringify({ type: 'status', ack: bad }))).toEqual({ type: 'status' });
    }
  });

  it('reads the server lag of an ack, and drops a malformed lag only', () => {
    const ack = { bytes: 1200, mediaMs: 4000, segment: 2, lagMs: 350 };
    expect(parseServerMessage(JSON.stringify({ type: 'status', ack }))).toEqual({ type: 'status', ack });
    expect(parseServerMessage(JSON.stringify({ type: 'status', ack: { ...ack, lagMs: -5 } }))).toEqual({
      type: 'status',
      ack: { bytes: 1200, mediaMs: 4000, segment: 2 },
    });
  });

  it('ignores unknown and malformed frames', () => {
    expect(parseServerMessage('{"type":"later"}')).toBeNull();
    expect(parseServerMessage('[1]')).toBeNull();
    expect(parseServerMessage('{')).toBeNull();
  });
});

describe('CloseCode', () => {
  it('keeps refusals in 4000–4999 and the normal close at 1000', () => {
    expect(CloseCode.Normal).toBe(1000);
    const refusals = Object.values(CloseCode).filter((c) => c >= 4000);
    expect(refusals.every((c) => c < 5000)).toBe(true);
    expect(new Set(Object.values(CloseCode)).size).toBe(Object.values(CloseCode).length);
  });
});
