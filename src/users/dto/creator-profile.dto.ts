import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

export const HANDLE_PATTERN = /^[a-z0-9_]{3,30}$/;

export class CreatorProfileDto {
  @IsString()
  @SafeText()
  @Matches(HANDLE_PATTERN, { message: 'handle must be 3–30 characters of a–z, 0–9 and _' })
  handle!: string;

  @IsString()
  @SafeText('name')
  @MinLength(1)
  @MaxLength(80)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName!: string;

  @IsOptional()
  @IsString()
  @SafeText('multiline')
  @MaxLength(1000)
  bio?: string;

  /** Others may download this creator's recordings (issue 12); unchanged when absent. */
  @IsOptional()
  @IsBoolean()
  allowDownloads?: boolean;
}
