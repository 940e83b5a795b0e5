/** WebSocket close codes of the ingest protocol (DESIGN.md "Ingest protocol"). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  Unauthenticated: 4001,
  NotYourStream: 4003,
  UnknownStreamKey: 4004,
  Idle: 4008,
  AlreadyPublishing: 4009,
  UnsupportedMedia: 4013,
  PipelineGaveUp: 4500,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** A refusal: the socket is closed with this code and reason, and nothing is started. */
export class IngestRefusal extends Error {
  constructor(
    readonly code: CloseCode,
    reason: string,
  ) {
    super(reason);
  }
}
