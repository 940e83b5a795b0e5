-- Restream targets, downloads and posters (issue 12).
ALTER TABLE "users" ADD COLUMN "allow_downloads" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "posts" ADD COLUMN "download_url" TEXT;
ALTER TABLE "posts" ADD COLUMN "poster_url" TEXT;

CREATE TABLE "restream_targets" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "key_ciphertext" BYTEA NOT NULL,
    "key_iv" BYTEA NOT NULL,
    "key_tag" BYTEA NOT NULL,
    "key_hint" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "restream_targets_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "restream_targets_user_id_idx" ON "restream_targets"("user_id");

ALTER TABLE "restream_targets" ADD CONSTRAINT "restream_targets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
