/** Initials on a colour derived from the name. */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'md' | 'lg' }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return (
    <span className={`avatar avatar-${size}`} style={{ background: `hsl(${hue} 55% 42%)` }} aria-hidden="true">
      {initials || '?'}
    </span>
  );
}
