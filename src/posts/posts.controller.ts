import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../common/public.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQuery } from './dto/list-posts.query';
import { PostsService } from './posts.service';

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @ApiBearerAuth()
  @Post()
  @WriteLimited()
  create(@CurrentUser() user: AuthUser, @Body() body: CreatePostDto) {
    return this.posts.create(user.id, body);
  }

  @Public()
  @Get()
  list(@Query() query: ListPostsQuery) {
    return this.posts.list(query);
  }

  @Public()
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.posts.get(id);
  }

  @ApiBearerAuth()
  @Delete(':id')
  @WriteLimited()
  @HttpCode(204)
  async delete(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.posts.delete(user.id, id);
  }
}
