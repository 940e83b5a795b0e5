import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { chatReplayQuery } from '../lib/queries';
import { formatOffset, replayedUpTo } from '../room/replay';

interface Props {
  streamId: string;
  /** Holds the post's player: its <video> (or <mux-player>) gives the time. */
  media: RefObject<HTMLElement | null>;
}

type Playable = HTMLElement & { currentTime: number };

/** The player's position in ms, read on its time updates and seeks (and a light poll for Mux Player). */
function usePlayerTimeMs(media: RefObject<HTMLElement | null>): number {
  const [ms, setMs] = useState(0);
  useEffect(() => {
    const box = media.current;
    if (!box) return;
    const read = () => {
      const el = box.querySelector<Playable>('video, mux-player');
      const t = el && Number.isFinite(el.currentTime) ? Math.round(el.currentTime * 1000) : 0;
      setMs((prev) => (prev === t ? prev : t));
    };
    const events = ['timeupdate', 'seeked', 'seeking', 'loadedmetadata', 'emptied'];
    for (const e of events) box.addEventListener(e, read, true);
    const poll = setInterval(read, 500);
    read();
    return () => {
      for (const e of events) box.removeEventListener(e, read, true);
      clearInterval(poll);
    };
  }, [media]);
  return ms;
}

/**
 * A VOD post's chat beside its video: the broadcast's messages (deleted ones are not served) up to
 * the player's current time, each at its place in the recording; seeking back hides the later ones.
 */
export function ChatReplay({ streamId, media }: Props) {
  const titleId = useId();
  const chat = useQuery(chatReplayQuery(streamId));
  const nowMs = usePlayerTimeMs(media);
  const listRef = useRef<HTMLOListElement>(null);
  const all = chat.data ?? [];
  const shown = replayedUpTo(all, nowMs);

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  if (chat.isSuccess && all.length === 0) return null;
  return (
    <section className="chat chat-replay" aria-labelledby={titleId}>
      <h4 id={titleId} className="chat-title">
        Chat replay
      </h4>
      {chat.isError && <p className="muted small">The chat could not be loaded.</p>}
      <ol ref={listRef} className="chat-list" aria-label="Chat replay">
        {shown.map((m) => (
          <li key={m.id} className="chat-line" data-message-id={m.id} data-offset-ms={m.offsetMs}>
            <time className="chat-time muted small">{formatOffset(m.offsetMs)}</time>{' '}
            <span className="chat-author">{m.author.name}</span> <span className="chat-text">{m.text}</span>
          </li>
        ))}
      </ol>
      {chat.isSuccess && shown.length === 0 && (
        <p className="muted small">{all.length} messages as the video plays.</p>
      )}
    </section>
  );
}
