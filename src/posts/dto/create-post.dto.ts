import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

export class CreatePostDto {
  @IsString()
  @SafeText()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @IsOptional()
  @IsString()
  @SafeText('multiline')
  @MaxLength(20000)
  body?: string;
}
