import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class DevLoginDto {
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}
