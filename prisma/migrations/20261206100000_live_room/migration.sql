-- The live room (issue 11): chat messages kept with their place in the broadcast (offset_ms from its
-- start) for the replay, deletions kept as deleted_at (left out everywhere), bans per creator, and a
-- creator's chat settings (slow mode).
CREATE TABLE "chat_messages" (
    "id" UUID NOT NULL,
    "stream_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offset_ms" INTEGER NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "chat_bans" (
    "creator_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_bans_pkey" PRIMARY KEY ("creator_id", "user_id")
);

CREATE TABLE "chat_rooms" (
    "creator_id" UUID NOT NULL,
    "slow_mode_sec" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "chat_rooms_pkey" PRIMARY KEY ("creator_id")
);

CREATE INDEX "chat_messages_stream_id_offset_ms_id_idx" ON "chat_messages"("stream_id", "offset_ms", "id");

CREATE INDEX "chat_messages_stream_id_created_at_idx" ON "chat_messages"("stream_id", "created_at" DESC);

CREATE INDEX "chat_messages_author_id_idx" ON "chat_messages"("author_id");

CREATE INDEX "chat_bans_user_id_idx" ON "chat_bans"("user_id");

ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "live_streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "chat_bans" ADD CONSTRAINT "chat_bans_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "chat_bans" ADD CONSTRAINT "chat_bans_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "chat_rooms" ADD CONSTRAINT "chat_rooms_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
