import { clerkDisplayName, planClerkEvent } from './clerk-user-event';

describe('clerkDisplayName', () => {
  it('joins first and last name, else uses the username', () => {
    expect(clerkDisplayName({ first_name: 'Grace', last_name: 'Hopper', username: 'gh' })).toBe(
      'Grace Hopper',
    );
    expect(clerkDisplayName({ first_name: ' Grace ', last_name: null })).toBe('Grace');
    expect(clerkDisplayName({ first_name: '', last_name: '', username: 'amazing_grace' })).toBe(
      'amazing_grace',
    );
    expect(clerkDisplayName({ first_name: null, username: null })).toBeNull();
  });

  it('caps a long name', () => {
    expect(clerkDisplayName({ first_name: 'x'.repeat(300) })).toHaveLength(100);
  });
});

describe('planClerkEvent', () => {
  const event = (type: string, data: Record<string, unknown>) => ({
    type,
    object: 'event',
    timestamp: 1_700_000_000_000,
    data,
  });

  it('user.updated → new display name', () => {
    expect(
      planClerkEvent(event('user.updated', { id: 'user_1', first_name: 'Ada', last_name: 'L' })),
    ).toEqual({
      kind: 'update',
      externalId: 'user_1',
      displayName: 'Ada L',
    });
  });

  it('user.deleted → delete', () => {
    expect(planClerkEvent(event('user.deleted', { id: 'user_1', deleted: true, object: 'user' }))).toEqual({
      kind: 'delete',
      externalId: 'user_1',
    });
  });

  it('ignores other types, missing ids, nameless users and non-events', () => {
    expect(planClerkEvent(event('session.created', { id: 'sess_1' })).kind).toBe('ignore');
    expect(planClerkEvent(event('user.deleted', { deleted: true })).kind).toBe('ignore');
    expect(planClerkEvent(event('user.updated', { id: 'user_1' })).kind).toBe('ignore');
    expect(planClerkEvent({ type: 'user.deleted' }).kind).toBe('ignore');
    expect(planClerkEvent(null).kind).toBe('ignore');
  });

  it('stores a name PostgreSQL accepts: control and bidi characters dropped, NFC', () => {
    const data = {
      id: 'user_1',
      first_name: 'Ad\u0000a\u202E',
      last_name: 'Love\u200Blace\u0007',
      username: 'x',
    };
    expect(planClerkEvent(event('user.updated', data))).toEqual({
      kind: 'update',
      externalId: 'user_1',
      displayName: 'Ada Lovelace',
    });
    expect(planClerkEvent(event('user.updated', { id: 'user_1', first_name: '\u0000\u200B' })).kind).toBe(
      'ignore',
    );
  });
});
