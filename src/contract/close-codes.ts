/**
 * WebSocket close codes of the ingest protocol (`WS /stream/live/:streamKey`) and the live room
 * (`WS /room/:handle`: 4001 for a join whose token does not verify or that never came, 4029 for a flood
 * or too many anonymous sockets from one address, 4044, 1001), shared by the server and the SPA. 1000 ends the broadcast; 1001 and the transport's 1006/1011 are worth a reconnect;
 * 4001–4013 are refusals (reconnecting would be refused again); 4500 means the server's FFmpeg
 * pipeline failed repeatedly and gave up.
 */
export const CloseCode = {
  /** The creator stopped (reason {@link STOPPED_BY_CREATOR}): the broadcast ends at once. */
  Normal: 1000,
  /** The server is shutting down or restarting. */
  GoingAway: 1001,
  /** A server-side error while handling this connection (reconnecting may work). */
  InternalError: 1011,
  /** No or a bad hello, or a session token that does not verify. */
  Unauthenticated: 4001,
  /** The stream key belongs to another creator. */
  NotYourStream: 4003,
  UnknownStreamKey: 4004,
  /** The live room (`WS /room/:handle`): no creator has this handle. */
  UnknownRoom: 4044,
  /** No media for the idle timeout. */
  Idle: 4008,
  /** Another connection is publishing to this key. */
  AlreadyPublishing: 4009,
  /** The recorded container or codecs cannot be used. */
  UnsupportedMedia: 4013,
  /** Too many connections or messages (per address, per user, or per second): slow down and retry later. */
  TooManyRequests: 4029,
  PipelineGaveUp: 4500,
  /** The server's media disk is full (or the recordings quota reached): nothing more can be written. */
  StorageFull: 4507,
  /** The broadcast reached MAX_BROADCAST_MINUTES; it ended as if the creator had stopped. */
  MaxDuration: 4010,
  /** This server runs as many pipelines as it may (MAX_PIPELINES): retry later. */
  AtCapacity: 4503,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason that goes with {@link CloseCode.Normal} when the creator presses Stop. */
export const STOPPED_BY_CREATOR = 'stopped by the creator';
