/** Initials on a colour derived from the name (white on it is at least 5:1 for every hue). */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'md' | 'lg' }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return (
    <span
      className={`avatar avatar-${size}`}
      style={{ background: `hsl(${hue} 50% 30%)` }}
      aria-hidden="true"
    >
      {initials || '?'}
    </span>
  );
}
