import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { UsersService } from './users.service';
import { ApiErrors } from '../common/api-error.dto';
import { CreatorList, CreatorPageResponse } from './dto/user-responses.dto';

@ApiTags('creators')
@Public()
@Controller('creators')
export class CreatorsController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<CreatorList> {
    return this.users.listCreators();
  }

  @Get(':handle')
  @ApiErrors(404)
  page(@Param('handle') handle: string): Promise<CreatorPageResponse> {
    return this.users.creatorPage(handle);
  }
}
