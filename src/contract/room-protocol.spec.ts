import { parseRoomClientMessage, parseRoomServerMessage } from './room-protocol';

describe('room protocol parsing', () => {
  const id = '0b5a4f3e-8c2d-4d6e-9f10-1a2b3c4d5e6f';
  it('accepts well-formed client messages', () => {
    expect(parseRoomClientMessage('{"type":"join"}')).toEqual({ type: 'join' });
    expect(parseRoomClientMessage('{"type":"join","token":"t"}')).toEqual({ type: 'join', token: 't' });
    expect(parseRoomClientMessage('{"type":"chat","text":"hi","ref":"1"}')).toEqual({
      type: 'chat',
      text: 'hi',
      ref: '1',
    });
    expect(parseRoomClientMessage(`{"type":"delete","messageId":"${id}"}`)).toMatchObject({ messageId: id });
    expect(parseRoomClientMessage(`{"type":"ban","userId":"${id}","minutes":10}`)).toMatchObject({
      minutes: 10,
    });
    expect(parseRoomClientMessage(`{"type":"ban","userId":"${id}"}`)).toMatchObject({ minutes: null });
    expect(parseRoomClientMessage('{"type":"slow-mode","seconds":0}')).toMatchObject({ seconds: 0 });
  });

  it('refuses anything else', () => {
    for (const bad of [
      'nope',
      'null',
      '[]',
      '{"type":"join","token":5}',
      `{"type":"join","token":"${'x'.repeat(8193)}"}`,
      '{"type":"chat","text":5}',
      '{"type":"delete","messageId":"1"}',
      `{"type":"ban","userId":"${id}","minutes":0}`,
      `{"type":"ban","userId":"${id}","minutes":1.5}`,
      '{"type":"slow-mode","seconds":-1}',
      '{"type":"slow-mode","seconds":3601}',
      '{"type":"other"}',
    ])
      expect(parseRoomClientMessage(bad)).toBeNull();
  });

  it('the client ignores unknown server frames', () => {
    expect(parseRoomServerMessage('{"type":"viewers","count":2}')).toEqual({ type: 'viewers', count: 2 });
    expect(parseRoomServerMessage('{"type":"mystery"}')).toBeNull();
    expect(parseRoomServerMessage('garbage')).toBeNull();
  });
});
