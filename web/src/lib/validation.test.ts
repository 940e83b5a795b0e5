import { describe, expect, it } from 'vitest';
import {
  fieldsFromServer,
  normalizeHandle,
  POST_BODY_MAX,
  validatePost,
  validateProfile,
} from './validation';

describe('validateProfile', () => {
  it('accepts what the server accepts', () => {
    expect(validateProfile({ handle: 'ada_99', displayName: 'Ada', bio: '' })).toEqual({});
  });

  it('names each bad field in plain words, without echoing the input', () => {
    const e = validateProfile({ handle: 'no way!', displayName: '   ', bio: 'x'.repeat(1001) });
    expect(e.handle).toBe('Use only letters a–z, digits 0–9 and the underscore _.');
    expect(e.handle).not.toContain('no way');
    expect(e.displayName).toBe('Enter the name your viewers will see.');
    expect(e.bio).toContain('1,000');
  });

  it('checks the handle length on both sides', () => {
    expect(validateProfile({ handle: 'ab', displayName: 'A', bio: '' }).handle).toMatch(/at least 3/);
    expect(validateProfile({ handle: 'a'.repeat(31), displayName: 'A', bio: '' }).handle).toMatch(
      /at most 30/,
    );
  });

  it('lower-cases handles', () => {
    expect(normalizeHandle('  Ada_Lovelace ')).toBe('ada_lovelace');
  });
});

describe('validatePost', () => {
  it('requires a title and a body, and caps the body at the server limit', () => {
    expect(validatePost({ title: '', body: '' })).toEqual({
      title: 'Give your post a title.',
      body: 'Write something for your post.',
    });
    expect(validatePost({ title: 'T', body: 'x'.repeat(POST_BODY_MAX) })).toEqual({});
    expect(validatePost({ title: 'T', body: 'x'.repeat(POST_BODY_MAX + 1) }).body).toContain('20,000');
  });
});

describe('fieldsFromServer', () => {
  it('maps validator lines to fields in our words and flags the rest', () => {
    const words = { handle: 'H', displayName: 'D', bio: 'B' };
    expect(
      fieldsFromServer(
        'displayName must be longer than or equal to 1 characters; property x should not exist',
        words,
      ),
    ).toEqual({ fields: { displayName: 'D' }, unmatched: true });
  });
});
