import type { AppConfig } from '../../config/app-config';
import type { StreamProvider } from '../providers/stream-provider';
import type { StreamsService } from '../streams.service';
import { BroadcastLifecycle } from './broadcast-lifecycle.service';
import type { PublisherLeaseService } from './publisher-lease.service';

describe('BroadcastLifecycle after shutdown', () => {
  it('starts no sweep and sets no reconnect-window timer once the app shuts down', async () => {
    jest.useFakeTimers();
    try {
      const orphanedBroadcasts = jest.fn(async () => []);
      const lifecycle = new BroadcastLifecycle(
        { reconnectWindowSec: 1 } as AppConfig,
        { name: 'local', publishInterrupted: async () => undefined } as unknown as StreamProvider,
        { orphanedBroadcasts } as unknown as StreamsService,
        { park: async () => undefined } as unknown as PublisherLeaseService,
      );
      lifecycle.onApplicationShutdown();
      // A publisher closed by the shutdown itself goes away after the hook ran.
      await lifecycle.publisherGone({ id: 's1' } as never, 'dropped');
      await lifecycle.sweep();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(orphanedBroadcasts).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
