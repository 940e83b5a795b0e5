import { webhookController } from '../../webhooks/webhook.controller';

/** Clerk's user webhooks (Svix-signed), keeping our User rows in step with Clerk: POST /webhooks/clerk. */
export const ClerkWebhookController = webhookController('clerk');
