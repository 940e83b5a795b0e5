import { useState } from 'react';
import type { MouseEvent } from 'react';
import { useAuthState } from '../auth/context';

/**
 * A VOD post's "Download" link (issue 12), shown when the server gave the viewer a downloadUrl. The
 * app's own /posts/:id/download may need the session (the author downloads even when others may
 * not), so it is fetched with the token and saved; Mux's MP4 URL is a plain link.
 */
export function DownloadLink({ url, title }: { url: string; title: string }) {
  const { getToken } = useAuthState();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const own = url.startsWith('/');
  const filename = `${title.replace(/[^\w -]+/g, '').trim() || 'recording'}.mp4`;

  const onClick = async (e: MouseEvent<HTMLAnchorElement>) => {
    if (!own) return;
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const token = await getToken();
      const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(res.status === 403 ? 'Downloads are not allowed.' : 'Download failed.');
      const blob = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = blob;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(blob), 10_000);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <a
        className="btn btn-secondary"
        href={url}
        download={filename}
        onClick={(e) => void onClick(e)}
        aria-busy={busy || undefined}
      >
        Download<span className="visually-hidden"> {title}</span>
      </a>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
