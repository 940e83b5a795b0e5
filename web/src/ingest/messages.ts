/** The ingest protocol's frames are defined once, in the server's `src/contract/` (shared with the SPA). */
export {
  parseServerMessage,
  type IngestAck,
  type PipelineState,
  type PipelineStatus,
  type ServerMessage,
  type StreamState,
} from '@contract/ingest-protocol';
