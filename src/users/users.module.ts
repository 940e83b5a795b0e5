import { Module } from '@nestjs/common';
import { CreatorsController } from './creators.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController, CreatorsController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
