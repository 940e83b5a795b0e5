/**
 * Which process is on the other end of a loopback TCP connection (Linux /proc): the relay accepts
 * only the FFmpeg it started, not any local process that read the placeholder from `ps`.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';

/** `127.0.0.1:port` as /proc/net/tcp writes it: `0100007F:1F90`. */
function procAddress(port: number): string {
  return `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The socket inode of the connection from 127.0.0.1:`fromPort` to 127.0.0.1:`toPort`, or null. */
export async function loopbackSocketInode(fromPort: number, toPort: number): Promise<string | null> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const local = procAddress(fromPort);
  const remote = procAddress(toPort);
  for (const line of table.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return f[9] ?? null;
  }
  return null;
}

/**
 * True when process `pid` holds the client end of the connection 127.0.0.1:`fromPort` →
 * 127.0.0.1:`toPort`; false when another process does (or nobody); null when /proc cannot tell
 * (not Linux).
 */
export async function loopbackPeerIs(pid: number, fromPort: number, toPort: number): Promise<boolean | null> {
  let inode: string | null;
  try {
    inode = await loopbackSocketInode(fromPort, toPort);
  } catch {
    return null;
  }
  if (!inode || inode === '0') return false;
  const wanted = `socket:[${inode}]`;
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to read
  }
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target === wanted) return true;
  }
  return false;
}
