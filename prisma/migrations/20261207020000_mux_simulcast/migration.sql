-- Mux simulcast targets follow the creator's restream targets (issue 12): a change made while the
-- stream is live waits here for the next idle.
ALTER TABLE "live_streams" ADD COLUMN "simulcast_dirty" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "live_streams" ADD COLUMN "simulcast_synced_at" TIMESTAMPTZ(3);
