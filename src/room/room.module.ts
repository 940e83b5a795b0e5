import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import { ChatActions } from './chat-actions';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { RoomGateway } from './room.gateway';
import { RoomHub } from './room-hub';
import { RoomService } from './room.service';

/**
 * The live room (issue 11): the watch socket, chat, moderation, viewer counts across instances and
 * the chat replay. It listens to Streams' events and state channel; Streams never imports it.
 */
@Module({
  controllers: [ChatController],
  providers: [ChatService, RoomHub, ChatActions, RoomService, RoomGateway],
})
export class RoomModule implements BeforeApplicationShutdown {
  constructor(private readonly rooms: RoomService) {}

  beforeApplicationShutdown(): void {
    this.rooms.closeAll();
  }
}
