import { Module } from '@nestjs/common';

/** Live streams: creation, the ingest socket, the FFmpeg pipeline, providers and webhooks. */
@Module({})
export class StreamsModule {}
