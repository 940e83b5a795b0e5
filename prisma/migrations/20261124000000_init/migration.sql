-- Vybzz initial schema. Must agree with prisma/schema.prisma (test/schema-migrations.e2e-spec.ts).

CREATE TYPE "PostKind" AS ENUM ('TEXT', 'VOD');

CREATE TYPE "StreamStatus" AS ENUM ('IDLE', 'CONNECTED', 'ACTIVE', 'DISCONNECTED', 'ENDED');

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "creator_profiles" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "handle" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "bio" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "creator_profiles_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "posts" (
    "id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "kind" "PostKind" NOT NULL DEFAULT 'TEXT',
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "asset_id" TEXT,
    "playback_id" TEXT,
    "playback_url" TEXT,
    "duration_sec" DOUBLE PRECISION,
    "live_stream_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "live_streams" (
    "id" UUID NOT NULL,
    "creator_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_stream_id" TEXT NOT NULL,
    "stream_key" TEXT NOT NULL,
    "playback_id" TEXT,
    "playback_url" TEXT,
    "title" TEXT NOT NULL DEFAULT '',
    "status" "StreamStatus" NOT NULL DEFAULT 'IDLE',
    "is_live" BOOLEAN NOT NULL DEFAULT false,
    "active_asset_id" TEXT,
    "state_changed_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "live_streams_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhook_events" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "object_id" TEXT,
    "payload" JSONB NOT NULL,
    "event_created_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "stream_leases" (
    "live_stream_id" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "stream_leases_pkey" PRIMARY KEY ("live_stream_id")
);

CREATE UNIQUE INDEX "users_external_id_key" ON "users"("external_id");

CREATE UNIQUE INDEX "creator_profiles_user_id_key" ON "creator_profiles"("user_id");

CREATE UNIQUE INDEX "creator_profiles_handle_key" ON "creator_profiles"("handle");

CREATE UNIQUE INDEX "posts_asset_id_key" ON "posts"("asset_id");

CREATE INDEX "posts_author_id_created_at_id_idx" ON "posts"("author_id", "created_at" DESC, "id" DESC);

CREATE UNIQUE INDEX "live_streams_provider_stream_id_key" ON "live_streams"("provider_stream_id");

CREATE UNIQUE INDEX "live_streams_stream_key_key" ON "live_streams"("stream_key");

CREATE INDEX "live_streams_creator_id_idx" ON "live_streams"("creator_id");

CREATE INDEX "live_streams_status_idx" ON "live_streams"("status");

CREATE INDEX "webhook_events_processed_at_received_at_idx" ON "webhook_events"("processed_at", "received_at");

ALTER TABLE "creator_profiles" ADD CONSTRAINT "creator_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "posts" ADD CONSTRAINT "posts_live_stream_id_fkey" FOREIGN KEY ("live_stream_id") REFERENCES "live_streams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "live_streams" ADD CONSTRAINT "live_streams_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
