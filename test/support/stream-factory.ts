/** LiveStream rows as the Mux provider would have created them, for webhook tests. */
import { randomBytes } from 'node:crypto';
import type { LiveStream } from '../../src/generated/prisma/client';
import type { TestApp } from './app';
import { makeCreator, SignedIn } from './factories';

export type Creator = SignedIn & { handle: string };

const rand = (n = 8) => randomBytes(n).toString('hex');

/** A Mux live stream of `creator` (a new creator made through the API when none is given). */
export async function makeMuxStream(
  t: TestApp,
  creator?: Creator,
): Promise<{ creator: Creator; stream: LiveStream }> {
  const owner = creator ?? (await makeCreator(t));
  const playbackId = `pb${rand()}`;
  const stream = await t.prisma.liveStream.create({
    data: {
      creatorId: owner.userId,
      provider: 'mux',
      providerStreamId: `ls${rand()}`,
      streamKey: `sk-${rand(16)}`,
      playbackId,
      playbackUrl: `https://stream.mux.com/${playbackId}.m3u8`,
    },
  });
  return { creator: owner, stream };
}

/** `count` open Mux streams, each of its own new creator (a creator has one open stream at a time). */
export async function makeMuxStreams(t: TestApp, count: number): Promise<LiveStream[]> {
  const streams: LiveStream[] = [];
  for (let i = 0; i < count; i++) streams.push((await makeMuxStream(t)).stream);
  return streams;
}
