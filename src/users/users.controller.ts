import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreatorProfileDto } from './dto/creator-profile.dto';
import { UsersService } from './users.service';
import { ApiErrors } from '../common/api-error.dto';
import { CreatorProfileResponse, MeResponse } from './dto/user-responses.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.users.me(user.id);
  }

  @Put('me/creator-profile')
  @WriteLimited()
  @ApiErrors(400, 409, 429)
  saveCreatorProfile(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatorProfileDto,
  ): Promise<CreatorProfileResponse> {
    return this.users.saveCreatorProfile(user.id, body);
  }
}
