import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { roomPath } from '@contract/room-protocol';
import { useAuthState } from '../auth/context';
import { ingestUrl } from '../ingest/policy';
import { initialRoomSnapshot, RoomClient } from './RoomClient';
import type { RoomSnapshot, RoomSocketLike } from './RoomClient';

const noClient = () => () => {};
const idle = (): RoomSnapshot => initialRoomSnapshot;

/**
 * The live room of `handle` while `enabled`: one RoomClient (a new one when the handle or the session
 * changes), its snapshot read with useSyncExternalStore; closed on unmount.
 */
export function useRoom(handle: string | null, enabled = true) {
  const { getToken, status } = useAuthState();
  const client = useMemo(
    () =>
      handle && enabled && status !== 'loading'
        ? new RoomClient({
            url: ingestUrl(roomPath(handle), window.location),
            getToken,
            createSocket: (url) => new WebSocket(url) as unknown as RoomSocketLike,
          })
        : null,
    // A sign-in or sign-out joins again (with or without the token).
    [handle, getToken, enabled, status],
  );
  useEffect(() => {
    client?.start();
    return () => client?.stop();
  }, [client]);
  const snapshot = useSyncExternalStore(client?.subscribe ?? noClient, client?.getSnapshot ?? idle);
  return { client, snapshot };
}
