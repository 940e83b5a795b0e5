/**
 * Browsers give the camera and microphone only to secure pages: HTTPS, or http://localhost on the
 * machine itself. Opened over plain HTTP at a LAN address, Go Live cannot work; this says so and how
 * to fix it, instead of a preview that never starts. Renders nothing on a secure page that can
 * capture.
 */
/** True when this page cannot capture at all (not a secure context, or no getUserMedia): the notice
 * below explains it, so other camera errors need not. */
export function captureUnavailable(): boolean {
  if (typeof window === 'undefined') return false;
  return window.isSecureContext === false || !navigator.mediaDevices?.getUserMedia;
}

export function InsecureContextNotice() {
  if (!captureUnavailable()) return null;
  const secure = window.isSecureContext !== false;

  if (secure) {
    return (
      <div className="error insecure-context" role="alert">
        <p>
          <strong>This browser does not offer camera access.</strong> Use a current version of Chrome, Edge,
          Firefox or Safari to go live.
        </p>
      </div>
    );
  }

  const { host, port, pathname } = window.location;
  const httpsUrl = `https://${host}${pathname}`;
  const localUrl = `http://localhost${port ? `:${port}` : ''}${pathname}`;
  return (
    <div className="error insecure-context" role="alert">
      <p>
        <strong>The camera cannot start: this page is not a secure connection.</strong> Browsers allow the
        camera and microphone only on pages served over HTTPS, or opened as localhost on the computer that
        runs Vybzz.
      </p>
      <p>To go live, either:</p>
      <ul>
        <li>
          open this site over HTTPS (whoever runs it puts it behind an HTTPS proxy):{' '}
          <a href={httpsUrl}>{httpsUrl}</a>
        </li>
        <li>
          or, on the computer that runs Vybzz, open <a href={localUrl}>{localUrl}</a>
        </li>
      </ul>
    </div>
  );
}
