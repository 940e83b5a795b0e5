import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

export class DevLoginDto {
  @IsString()
  @SafeText('name')
  @MinLength(1)
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}
