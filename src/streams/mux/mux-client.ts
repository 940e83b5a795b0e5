import type { Provider } from '@nestjs/common';
import Mux from '@mux/mux-node';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';

/**
 * The app's one Mux client (the real @mux/mux-node, pointed at MUX_BASE_URL), or null when Mux is not
 * configured: MuxProvider calls its API; MuxWebhookSource verifies signatures with it (no network).
 */
export const MUX_CLIENT = Symbol('MUX_CLIENT');

export const muxClientProvider: Provider = {
  provide: MUX_CLIENT,
  inject: [APP_CONFIG],
  useFactory: (c: AppConfig): Mux | null =>
    c.mux
      ? new Mux({
          tokenId: c.mux.tokenId,
          tokenSecret: c.mux.tokenSecret,
          webhookSecret: c.mux.webhookSigningSecret,
          baseURL: c.muxBaseUrl,
          maxRetries: 2,
          timeout: 15_000,
        })
      : null,
};

/** Where Mux serves a public playback id as HLS. */
export const muxPlaybackUrl = (playbackId: string) => `https://stream.mux.com/${playbackId}.m3u8`;
