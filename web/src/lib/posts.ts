import type { Post } from '../api';

/** Newest first by `createdAt` (stable for equal dates, as the server orders them). */
export function byNewest(posts: Post[]): Post[] {
  return posts
    .map((p, i) => ({ p, i, t: Date.parse(p.createdAt) || 0 }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.p);
}
