-- Mux mode (issue 12): each simulcast target's last reported state, by restream target id:
-- {"<target id>": {"status": "broadcasting", "reason": null, "at": "<event created_at>"}}.
ALTER TABLE "live_streams" ADD COLUMN "simulcast_states" JSONB;
