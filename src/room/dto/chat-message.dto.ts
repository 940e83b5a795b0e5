import { ApiProperty } from '@nestjs/swagger';

class ChatAuthorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ChatMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) streamId!: string;
  @ApiProperty({ type: ChatAuthorDto }) author!: ChatAuthorDto;
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: "Milliseconds from the broadcast's start" }) offsetMs!: number;
}

export class ChatPageDto {
  @ApiProperty({ type: [ChatMessageDto] }) items!: ChatMessageDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
