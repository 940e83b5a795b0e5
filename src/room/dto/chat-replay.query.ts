import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** A day of broadcast, in ms (MAX_BROADCAST_MINUTES bounds real ones). */
const MAX_OFFSET_MS = 7 * 24 * 3_600_000;

export class ChatReplayQuery {
  @ApiPropertyOptional({ description: 'From this offset in the broadcast (ms, inclusive)', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_MS)
  fromMs?: number;

  @ApiPropertyOptional({ description: 'To this offset in the broadcast (ms, exclusive); default: the end' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET_MS)
  toMs?: number;

  @ApiPropertyOptional({ description: 'Messages per page', minimum: 1, maximum: 200, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor" })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
