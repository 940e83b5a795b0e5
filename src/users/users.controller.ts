import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreatorProfileDto } from './dto/creator-profile.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.users.me(user.id);
  }

  @Put('me/creator-profile')
  @WriteLimited()
  saveCreatorProfile(@CurrentUser() user: AuthUser, @Body() body: CreatorProfileDto) {
    return this.users.saveCreatorProfile(user.id, body);
  }
}
