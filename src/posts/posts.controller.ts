import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../common/public.decorator';
import { WriteLimited } from '../common/write-limit';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQuery } from './dto/list-posts.query';
import { PostDownloadsService } from './post-downloads.service';
import { PostsService } from './posts.service';
import { ApiErrors } from '../common/api-error.dto';
import { PostPage, PostResponse } from './dto/post-responses.dto';

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly downloads: PostDownloadsService,
  ) {}

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
  list(@Query() query: ListPostsQuery, @CurrentUser() user?: AuthUser): Promise<PostPage> {
    return this.posts.list(query, user?.id);
  }

  @Public()
  @Get(':id')
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user?: AuthUser): Promise<PostResponse> {
    return this.posts.get(id, user?.id);
  }

  /** The recording as an MP4 (range requests work): the author always, others when the creator allows it (403). */
  @Public()
  @Get(':id/download')
  @ApiOkResponse({
    description: 'The MP4 (local mode); Range requests get 206',
    content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiFoundResponse({ description: "Mux: a redirect to the static rendition's URL" })
  @ApiErrors(400, 403, 404)
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
    @CurrentUser() user?: AuthUser,
  ): Promise<void> {
    const d = await this.downloads.resolve(id, user?.id);
    if (d.kind === 'redirect') return res.redirect(302, d.url);
    res.attachment(d.filename);
    res.setHeader('Cache-Control', 'private, no-cache');
    await new Promise<void>((resolve) =>
      res.sendFile(d.path, { dotfiles: 'allow', acceptRanges: true, cacheControl: false }, (err) => {
        if (err && !res.headersSent) {
          // send's own answers (416 for a range past the end), else the file went missing: 404.
          const status = (err as { status?: number }).status === 416 ? 416 : 404;
          const message = status === 416 ? 'The range is outside the file' : 'This post has no download';
          res.status(status).json({ statusCode: status, message });
        }
        resolve();
      }),
    );
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
