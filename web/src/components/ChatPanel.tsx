import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_CHAT_LENGTH } from '@contract/room-protocol';
import type { ChatMessageView } from '@contract/room-protocol';
import { Link, signInHref } from '../lib/router';
import type { RoomClient, RoomSnapshot } from '../room/RoomClient';

interface Props {
  client: RoomClient | null;
  room: RoomSnapshot;
  /** Where "Sign in to chat" comes back to. */
  returnTo: string;
  /** The heading's level (2 on a page, 3 inside the Go Live dialog). */
  level?: 2 | 3;
  className?: string;
}

const BAN_CHOICES = [
  { label: 'for good', minutes: null },
  { label: '10 minutes', minutes: 10 },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 1440 },
] as const;
const SLOW_CHOICES = [0, 5, 30, 60];

/** "N watching", for next to the LIVE badge. */
export function ViewerCount({ count }: { count: number }) {
  return <span className="viewer-count">{count} watching</span>;
}

/**
 * The live chat: the messages (a list named "Chat", announced politely), the composer ("Message",
 * "Send") for signed-in viewers or a "Sign in to chat" prompt, refusals as a visible notice, and for
 * the creator Delete / Ban on everyone else's messages plus the ban length and slow mode.
 */
export function ChatPanel({ client, room, returnTo, level = 2, className }: Props) {
  const titleId = useId();
  const inputId = useId();
  const [text, setText] = useState('');
  const [banIndex, setBanIndex] = useState(0);
  const listRef = useRef<HTMLOListElement>(null);
  const you = room.you;
  const joined = room.status === 'joined';
  const moderator = !!you?.isOwner;

  // Follow new messages unless the reader scrolled up.
  const last = room.messages[room.messages.length - 1]?.id;
  useEffect(() => {
    const el = listRef.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [last]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const t = text.trim();
    if (!t || !client) return;
    if (client.sendChat(t)) setText('');
  };

  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={className ? `chat ${className}` : 'chat'} aria-labelledby={titleId}>
      <div className="chat-head">
        <Heading id={titleId} className="chat-title">
          Chat
        </Heading>
        {room.slowModeSec > 0 && <span className="muted small">Slow mode: {room.slowModeSec} s</span>}
        {!joined && room.status !== 'idle' && (
          <span className="muted small" role="status">
            {room.error ?? (room.status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…')}
          </span>
        )}
      </div>
      {moderator && (
        <div className="chat-tools">
          <label>
            Ban length{' '}
            <select value={banIndex} onChange={(e) => setBanIndex(Number(e.target.value))}>
              {BAN_CHOICES.map((c, i) => (
                <option key={c.label} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Slow mode{' '}
            <select
              value={room.slowModeSec}
              onChange={(e) => client?.setSlowMode(Number(e.target.value))}
              disabled={!joined}
            >
              {[...new Set([...SLOW_CHOICES, room.slowModeSec])].map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'off' : `${s} s`}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <ol ref={listRef} className="chat-list" aria-label="Chat" aria-live="polite" aria-relevant="additions">
        {room.messages.map((m) => (
          <ChatLine
            key={m.id}
            message={m}
            moderate={moderator && m.author.id !== you?.userId}
            onDelete={() => client?.deleteMessage(m.id)}
            onBan={() => client?.ban(m.author.id, BAN_CHOICES[banIndex]?.minutes ?? null)}
          />
        ))}
      </ol>
      {joined && room.messages.length === 0 && <p className="muted small">No messages yet.</p>}
      {room.notice && (
        <p key={room.notice.seq} className="chat-notice" role="alert">
          {room.notice.message}
        </p>
      )}
      {you?.canChat ? (
        <form className="chat-form" onSubmit={submit}>
          <label htmlFor={inputId} className="visually-hidden">
            Message
          </label>
          <input
            id={inputId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={MAX_CHAT_LENGTH}
            autoComplete="off"
            placeholder="Say something…"
          />
          <button type="submit" className="btn btn-primary" disabled={!joined || !text.trim()}>
            Send
          </button>
        </form>
      ) : (
        joined && (
          <p className="chat-signin">
            <Link to={signInHref(returnTo)}>Sign in to chat</Link>
          </p>
        )
      )}
    </section>
  );
}

function ChatLine({
  message,
  moderate,
  onDelete,
  onBan,
}: {
  message: ChatMessageView;
  moderate: boolean;
  onDelete: () => void;
  onBan: () => void;
}) {
  const textId = useId();
  return (
    <li className="chat-line" data-message-id={message.id}>
      <span className="chat-author">{message.author.name}</span>{' '}
      <span id={textId} className="chat-text">
        {message.text}
      </span>
      {moderate && (
        <span className="chat-mod">
          <button type="button" className="btn-link" aria-describedby={textId} onClick={onDelete}>
            Delete
          </button>
          <button type="button" className="btn-link" aria-describedby={textId} onClick={onBan}>
            Ban
          </button>
        </span>
      )}
    </li>
  );
}
