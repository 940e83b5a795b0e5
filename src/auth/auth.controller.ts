import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthService } from './auth.service';
import { DevLoginDto } from './dto/dev-login.dto';
import { Public } from '../common/public.decorator';
import { ApiErrors } from '../common/api-error.dto';
import { DevLoginResponse } from './dto/dev-login-response.dto';

@ApiTags('auth')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Local auth mode only (404 with Clerk): one user per name, and a session token for it. */
  @Public()
  @Post('dev-login')
  @HttpCode(201)
  @ApiErrors(400, 404, 429)
  devLogin(@Body() body: DevLoginDto): Promise<DevLoginResponse> {
    return this.auth.devLogin(body.name);
  }
}
