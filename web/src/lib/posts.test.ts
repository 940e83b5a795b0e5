import { describe, expect, it } from 'vitest';
import type { Post } from '../api';
import { byNewest } from './posts';

const post = (id: string, createdAt: string) => ({ id, createdAt }) as Post;

describe('byNewest', () => {
  it('puts a VOD post that arrived by polling at its date, not on top', () => {
    const list = [
      post('vod', '2026-01-01T10:00:00Z'),
      post('text-new', '2026-01-01T10:05:00Z'),
      post('old', '2026-01-01T09:00:00Z'),
    ];
    expect(byNewest(list).map((p) => p.id)).toEqual(['text-new', 'vod', 'old']);
  });
  it('keeps the given order for equal dates', () => {
    const list = [post('a', '2026-01-01T10:00:00Z'), post('b', '2026-01-01T10:00:00Z')];
    expect(byNewest(list).map((p) => p.id)).toEqual(['a', 'b']);
  });
});
