import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../../common/safe-text.decorator';

/** At most this many targets per creator. */
export const MAX_RESTREAM_TARGETS = 5;

/**
 * An RTMP(S) ingest URL: scheme, host, optional port and path; no credentials, query, spaces, or the
 * characters FFmpeg's tee muxer treats as syntax (`| [ ] \ '`).
 */
export const RESTREAM_URL_PATTERN =
  /^rtmps?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?$/;
/** A stream key as services issue them (Facebook's carry a query string): printable ASCII. */
export const STREAM_KEY_PATTERN = /^[\x21-\x26\x28-\x5a\x5e-\x7b\x7d\x7e]+$/;

export class CreateRestreamTargetDto {
  @ApiProperty({ example: 'YouTube', maxLength: 60 })
  @IsString()
  @SafeText('name')
  @MinLength(1)
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ example: 'rtmp://a.rtmp.youtube.com/live2', maxLength: 500 })
  @IsString()
  @SafeText()
  @MaxLength(500)
  @Matches(RESTREAM_URL_PATTERN, {
    message: 'url must be an rtmp:// or rtmps:// address (host and path, without the stream key)',
  })
  url!: string;

  @ApiProperty({
    description: 'Stored encrypted; never returned (only its last 4 characters).',
    writeOnly: true,
  })
  @IsString()
  @SafeText()
  @MinLength(4)
  @MaxLength(500)
  // The message never quotes the value: it is a secret.
  @Matches(STREAM_KEY_PATTERN, { message: 'streamKey must be printable characters without spaces' })
  streamKey!: string;
}

export class UpdateRestreamTargetDto {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
}

export class RestreamTargetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ description: "The stream key's last 4 characters", example: 'x9Qz' }) keyHint!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() createdAt!: Date;
}
