/** The 200 answer to a webhook delivery. */
export class WebhookReceiptResponse {
  /** The event id (Mux's id, Svix's svix-id). */
  id!: string;
  /** processed: handled now · duplicate: handled before, not again. */
  result!: 'processed' | 'duplicate';
}
