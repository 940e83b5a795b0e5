/**
 * The camera at a lower rung's height, for MediaRecorder: a clone of the video track scaled by the
 * browser (`applyConstraints`), plus the same audio tracks. The preview keeps the original track. One
 * clone per source track and height, shared by the recorders that use it and stopped when the last of
 * them releases it (a restart at the same height reuses it).
 */
type Scaled = { media: MediaStream; height: number | null; release: () => void };

const clones = new Map<
  string,
  { stream: MediaStream; track: MediaStreamTrack; height: number | null; users: number }
>();

export async function scaleMedia(media: MediaStream, height: number): Promise<Scaled> {
  const video = media.getVideoTracks()[0];
  const own = video?.getSettings();
  if (!video || !own?.height || own.height <= height) {
    return { media, height: own?.height ?? null, release: () => {} };
  }
  const key = `${video.id}:${height}:${media
    .getAudioTracks()
    .map((t) => t.id)
    .join(',')}`;
  let entry = clones.get(key);
  if (!entry || entry.track.readyState === 'ended') {
    const track = video.clone();
    const width = own.width ? Math.round((own.width * height) / own.height / 2) * 2 : undefined;
    let scaled: number | null = height;
    try {
      await track.applyConstraints({
        height: { ideal: height, max: height },
        ...(width ? { width: { ideal: width, max: width } } : {}),
        resizeMode: 'crop-and-scale',
      } as MediaTrackConstraints);
    } catch (e) {
      scaled = own.height; // recorded at the camera's own size
      console.warn(`could not scale the camera to ${height}p: ${(e as Error).message}`);
    }
    entry = {
      stream: new MediaStream([track, ...media.getAudioTracks()]),
      track,
      height: scaled,
      users: 0,
    };
    clones.set(key, entry);
  }
  const e = entry;
  e.users++;
  let released = false;
  return {
    media: e.stream,
    height: e.height,
    release: () => {
      if (released) return;
      released = true;
      if (--e.users > 0) return;
      e.track.stop();
      if (clones.get(key) === e) clones.delete(key);
    },
  };
}
