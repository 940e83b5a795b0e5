-- One open (not ENDED) live stream per creator and provider (issue 16 item 4).
-- Concurrent POST /stream/create calls could provision several; the app always used the newest, so
-- the older open ones are ended before the index can exist.
UPDATE "live_streams" AS s
SET "status" = 'ENDED', "is_live" = false, "ended_at" = COALESCE(s."ended_at", CURRENT_TIMESTAMP),
    "updated_at" = CURRENT_TIMESTAMP
WHERE s."status" <> 'ENDED'
  AND EXISTS (
    SELECT 1 FROM "live_streams" AS n
    WHERE n."creator_id" = s."creator_id" AND n."provider" = s."provider" AND n."status" <> 'ENDED'
      AND (n."created_at", n."id") > (s."created_at", s."id")
  );

CREATE UNIQUE INDEX "live_streams_one_open_per_creator" ON "live_streams"("creator_id", "provider")
WHERE "status" <> 'ENDED';
