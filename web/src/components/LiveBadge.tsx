export function LiveBadge({ label = 'LIVE' }: { label?: string }) {
  return (
    <span className="live-badge">
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
