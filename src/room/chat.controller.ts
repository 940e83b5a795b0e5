import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { ChatService } from './chat.service';
import { ChatPageDto } from './dto/chat-message.dto';
import { ChatReplayQuery } from './dto/chat-replay.query';

@ApiTags('chat')
@Controller('streams')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  /** A broadcast's chat for its replay, in order of its place in the broadcast (deleted messages left out). */
  @Public()
  @Get(':id/chat')
  @ApiOperation({ summary: "A broadcast's chat between two offsets (public, paginated)" })
  @ApiOkResponse({ type: ChatPageDto })
  replay(@Param('id', ParseUUIDPipe) id: string, @Query() q: ChatReplayQuery): Promise<ChatPageDto> {
    const fromMs = q.fromMs ?? 0;
    const toMs = q.toMs ?? 2_147_483_647;
    if (toMs < fromMs) throw new BadRequestException('toMs must not be before fromMs');
    return this.chat.replay({ streamId: id, fromMs, toMs, limit: q.limit ?? 100, after: q.cursor });
  }
}
