import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../common/public.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreateStreamDto } from './dto/create-stream.dto';
import { StreamsService } from './streams.service';

@ApiTags('streams')
@Controller('stream')
export class StreamsController {
  constructor(private readonly streams: StreamsService) {}

  /** The creator's live stream and its key; publish to WS `ingestPath`. */
  @ApiBearerAuth()
  @Post('create')
  @WriteLimited('stream-create')
  @HttpCode(201)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateStreamDto) {
    return this.streams.create(user.id, body);
  }

  /** A new stream key for a leaked one (the old key stops working at once). */
  @ApiBearerAuth()
  @Post(':id/reset-key')
  @WriteLimited()
  @HttpCode(200)
  resetKey(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.streams.resetKey(user.id, id);
  }

  @Public()
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser | undefined) {
    return this.streams.get(id, user?.id);
  }
}
