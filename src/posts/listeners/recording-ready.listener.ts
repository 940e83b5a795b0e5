import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { RecordingReadyEvent } from '../../streams/events/stream.events';
import { PostsService } from '../posts.service';

/** A finished broadcast's recording becomes a VOD post on the creator's page, once per asset. */
@Injectable()
export class RecordingReadyListener {
  private readonly logger = new Logger(RecordingReadyListener.name);

  constructor(private readonly posts: PostsService) {}

  // Errors propagate to the emitter (emitAsync), so a failed handling is retried, never lost.
  @OnEvent(RecordingReadyEvent.event, { promisify: true, suppressErrors: false })
  async handle(e: RecordingReadyEvent): Promise<void> {
    const created = await this.posts.createVodPost(e);
    if (created) this.logger.log(`VOD post created for asset ${e.recording.assetId}`);
  }
}
