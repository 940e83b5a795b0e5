import { Injectable } from '@nestjs/common';
import type { IngestSession } from './ingest-session';

/** The publisher connections open on this instance. */
@Injectable()
export class IngestSessions {
  private readonly sessions = new Set<IngestSession>();

  add(session: IngestSession): void {
    this.sessions.add(session);
  }

  delete(session: IngestSession): void {
    this.sessions.delete(session);
  }

  /** The sessions publishing to a stream (one, unless a reconnect overlaps the old socket's end). */
  *publishing(liveStreamId: string): Iterable<IngestSession> {
    for (const s of this.sessions) if (s.liveStreamId === liveStreamId) yield s;
  }

  all(): IngestSession[] {
    return [...this.sessions];
  }
}
