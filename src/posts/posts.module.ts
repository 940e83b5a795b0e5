import { Module } from '@nestjs/common';
import { RecordingReadyListener } from './listeners/recording-ready.listener';
import { PostDownloadsService } from './post-downloads.service';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

@Module({
  controllers: [PostsController],
  providers: [PostsService, PostDownloadsService, RecordingReadyListener],
})
export class PostsModule {}
