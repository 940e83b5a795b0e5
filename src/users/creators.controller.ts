import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { UsersService } from './users.service';

@ApiTags('creators')
@Public()
@Controller('creators')
export class CreatorsController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list() {
    return this.users.listCreators();
  }

  @Get(':handle')
  page(@Param('handle') handle: string) {
    return this.users.creatorPage(handle);
  }
}
