import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../common/public.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQuery } from './dto/list-posts.query';
import { PostsService } from './posts.service';
import { ApiErrors } from '../common/api-error.dto';
import { PostPage, PostResponse } from './dto/post-responses.dto';

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @ApiBearerAuth()
  @Post()
  @WriteLimited()
  @ApiErrors(400, 401, 403, 429)
  create(@CurrentUser() user: AuthUser, @Body() body: CreatePostDto): Promise<PostResponse> {
    return this.posts.create(user.id, body);
  }

  @Public()
  @Get()
  @ApiErrors(400)
  list(@Query() query: ListPostsQuery): Promise<PostPage> {
    return this.posts.list(query);
  }

  @Public()
  @Get(':id')
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PostResponse> {
    return this.posts.get(id);
  }

  @ApiBearerAuth()
  @Delete(':id')
  @WriteLimited()
  @HttpCode(204)
  @ApiErrors(400, 401, 403, 404, 429)
  async delete(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.posts.delete(user.id, id);
  }
}
