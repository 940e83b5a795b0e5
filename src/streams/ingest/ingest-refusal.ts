import type { CloseCode } from '../../contract/close-codes';

/** A refusal: the socket is closed with this code and reason, and nothing is started. */
export class IngestRefusal extends Error {
  constructor(
    readonly code: CloseCode,
    reason: string,
  ) {
    super(reason);
  }
}
