import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { WriteLimited } from '../common/write-limit';
import {
  CreateRestreamTargetDto,
  RestreamTargetDto,
  UpdateRestreamTargetDto,
} from './dto/restream-target.dto';
import { RestreamTargetsService } from './restream-targets.service';

@ApiTags('restream')
@ApiBearerAuth()
@Controller('users/me/restream-targets')
export class RestreamTargetsController {
  constructor(private readonly targets: RestreamTargetsService) {}

  @Get()
  @ApiOkResponse({ type: [RestreamTargetDto] })
  list(@CurrentUser() user: AuthUser): Promise<RestreamTargetDto[]> {
    return this.targets.list(user.id);
  }

  @Post()
  @WriteLimited()
  @ApiCreatedResponse({ type: RestreamTargetDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateRestreamTargetDto): Promise<RestreamTargetDto> {
    return this.targets.create(user.id, body);
  }

  @Patch(':id')
  @WriteLimited()
  @ApiOkResponse({ type: RestreamTargetDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateRestreamTargetDto,
  ): Promise<RestreamTargetDto> {
    return this.targets.setEnabled(user.id, id, body.enabled);
  }

  @Delete(':id')
  @WriteLimited()
  @HttpCode(204)
  async delete(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.targets.delete(user.id, id);
  }
}
