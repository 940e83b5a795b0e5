import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../common/public.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreateStreamDto } from './dto/create-stream.dto';
import { StreamsService } from './streams.service';
import { ApiErrors } from '../common/api-error.dto';
import { OwnedStream, StreamView } from './dto/stream-responses.dto';

@ApiTags('streams')
@Controller('stream')
export class StreamsController {
  constructor(private readonly streams: StreamsService) {}

  /** The creator's live stream and its key; publish to WS `ingestPath`. */
  @ApiBearerAuth()
  @Post('create')
  @WriteLimited('stream-create')
  @HttpCode(201)
  @ApiErrors(400, 401, 403, 429, 502)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateStreamDto): Promise<OwnedStream> {
    return this.streams.create(user.id, body);
  }

  /** A new stream key for a leaked one (the old key stops working at once). */
  @ApiBearerAuth()
  @Post(':id/reset-key')
  @WriteLimited()
  @HttpCode(200)
  @ApiErrors(400, 401, 403, 404, 409, 429, 502)
  resetKey(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<OwnedStream> {
    return this.streams.resetKey(user.id, id);
  }

  @Public()
  @Get(':id')
  @ApiErrors(400, 404)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<StreamView> {
    return this.streams.get(id, user?.id);
  }
}
