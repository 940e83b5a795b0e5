import { Module } from '@nestjs/common';
import { RecordingReadyListener } from './listeners/recording-ready.listener';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

@Module({
  controllers: [PostsController],
  providers: [PostsService, RecordingReadyListener],
})
export class PostsModule {}
