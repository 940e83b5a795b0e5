import { webhookController } from '../../webhooks/webhook.controller';

/** Mux's webhook deliveries: POST /webhooks/mux. */
export const MuxWebhookController = webhookController('mux');
