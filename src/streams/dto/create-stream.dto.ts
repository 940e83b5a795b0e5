import { IsOptional, IsString, MaxLength } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

export class CreateStreamDto {
  @IsOptional()
  @IsString()
  @SafeText()
  @MaxLength(200)
  title?: string;
}
