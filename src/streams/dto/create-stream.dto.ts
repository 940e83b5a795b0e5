import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateStreamDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}
