-- Clerk's user.updated ordering guard looks up later events about the same user (issue 16 item 13).
CREATE INDEX "webhook_events_source_object_id_event_created_at_idx" ON "webhook_events"("source", "object_id", "event_created_at");
