import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

export class ListPostsQuery {
  @IsOptional()
  @IsString()
  @SafeText()
  @Matches(/^[a-z0-9_]{3,30}$/, { message: 'creator must be a handle' })
  creator?: string;

  @IsOptional()
  @IsString()
  @SafeText()
  @MaxLength(200)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}
