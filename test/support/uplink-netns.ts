/**
 * A bad-network harness: a browser whose UPLINK is shaped by `tc qdisc … tbf`.
 *
 *   browser (in namespace <ns>) ──► 127.0.0.1:<port> (forwarder inside <ns>)
 *     ──► veth <ns side> [tbf: the shaped uplink] ──► veth <host side> <hostIp>:<p2> (forwarder in this
 *     process) ──► 127.0.0.1:<port> (the app)
 *
 * The page keeps `http://127.0.0.1:<port>` as its origin (a secure context: the camera works) while every
 * byte it sends crosses the shaped veth; the downlink is not shaped. netem/fq do not exist on these
 * machines; tbf does. Needs root (`ip netns`). Names are unique per run (`vyu-<pid>-<n>`); namespaces
 * left by a process that died are removed on the next `create`, and `close()` (also run at process exit)
 * removes this one's namespace, veth pair and forwarders. Only loopback and this namespace's own
 * addresses are ever connected to.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenForwarder, pickSubnet, removeStale, sh } from './netns-tools';

const PREFIX = 'vyu';
const FORWARDER = join(__dirname, 'netns-forward.mjs');
let counter = 0;

export interface RateChange {
  atMs: number;
  /** kbit/s, or null for unshaped. */
  kbit: number | null;
}

export class ShapedUplink {
  /** Every rate set, with the wall-clock time it took effect. */
  readonly rates: RateChange[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly bridges: net.Server[] = [];
  private closed = false;
  private readonly onExit = () => this.closeSync();

  private constructor(
    readonly ns: string,
    readonly hostIf: string,
    readonly nsIf: string,
    readonly hostIp: string,
    readonly nsIp: string,
    private readonly dir: string,
    private readonly hostForwarder: net.Server,
  ) {
    process.on('exit', this.onExit);
  }

  /** A namespace whose 127.0.0.1:<port> leads (through the shaped veth) to this machine's 127.0.0.1:<port>. */
  static async create(port: number): Promise<ShapedUplink> {
    removeStale(PREFIX);
    const n = counter++;
    const ns = `${PREFIX}-${process.pid}-${n}`;
    const tag = `${PREFIX}${process.pid.toString(36)}${n.toString(36)}`;
    const hostIf = `${tag}h`;
    const nsIf = `${tag}n`;
    const { hostIp, nsIp } = pickSubnet();
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-uplink-'));
    sh(['ip', 'netns', 'add', ns]);
    let up: ShapedUplink | null = null;
    try {
      sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
      sh(['ip', 'link', 'set', nsIf, 'netns', ns]);
      sh(['ip', 'addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
      sh(['ip', 'link', 'set', hostIf, 'up']);
      sh(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/30`, 'dev', nsIf]);
      sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
      sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
      const hostForwarder = await listenForwarder(hostIp, '127.0.0.1', port);
      up = new ShapedUplink(ns, hostIf, nsIf, hostIp, nsIp, dir, hostForwarder);
      const p2 = (hostForwarder.address() as net.AddressInfo).port;
      await up.forwardInNs('127.0.0.1', port, hostIp, p2);
      return up;
    } catch (e) {
      if (up) await up.close();
      else {
        try {
          sh(['ip', 'netns', 'del', ns]);
        } catch {
          /* nothing to remove */
        }
        rmSync(dir, { recursive: true, force: true });
      }
      throw e;
    }
  }

  /**
   * A wrapper script that starts `binary` inside the namespace (give it to the browser launcher). With
   * `debuggingPort`, a `--remote-debugging-port` argument is rewritten to that port (see bridgePort).
   */
  wrapper(binary: string, debuggingPort?: number): string {
    const file = join(this.dir, `${binary.split('/').pop()}-in-${this.ns}.sh`);
    const rewrite = debuggingPort
      ? [
          'args=()',
          'for a in "$@"; do',
          `  case "$a" in --remote-debugging-port=*) a="--remote-debugging-port=${debuggingPort}";; esac`,
          '  args+=("$a")',
          'done',
          'set -- "${args[@]}"',
        ].join('\n') + '\n'
      : '';
    writeFileSync(file, `#!/bin/bash\n${rewrite}exec ip netns exec ${this.ns} ${binary} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /**
   * Makes the namespace's 127.0.0.1:<port> (a browser's remote-control port) reachable as this
   * machine's 127.0.0.1:<port>, so a driver that reads "listening on ws://127.0.0.1:<port>" from the
   * browser connects as usual. Its traffic back to the driver crosses the shaped veth too.
   */
  async bridgePort(port: number): Promise<void> {
    await this.forwardInNs(this.nsIp, port, '127.0.0.1', port);
    this.bridges.push(await listenForwarder('127.0.0.1', this.nsIp, port, port));
  }

  /**
   * Shapes the namespace's egress (the browser's uplink) to `kbit` kbit/s, or removes the shaping (null).
   * tbf's queue holds `latencyMs` of data at that rate; packets beyond it are dropped (TCP backs off).
   */
  setRate(kbit: number | null, latencyMs = 250): void {
    const dev = ['ip', 'netns', 'exec', this.ns, 'tc', 'qdisc'];
    if (kbit === null) {
      try {
        sh([...dev, 'del', 'dev', this.nsIf, 'root']);
      } catch {
        /* no qdisc to remove */
      }
    } else {
      // burst ≥ one 1514-byte frame plus some slack; 10 kB lets short bursts through at line rate.
      sh([
        ...dev,
        'replace',
        'dev',
        this.nsIf,
        'root',
        'tbf',
        'rate',
        `${kbit}kbit`,
        'burst',
        '10kb',
        'latency',
        `${latencyMs}ms`,
      ]);
    }
    this.rates.push({ atMs: Date.now(), kbit });
  }

  /** tc's own counters for the namespace's egress qdisc (sent bytes, drops), for diagnostics. */
  qdiscStats(): string {
    return sh(['ip', 'netns', 'exec', this.ns, 'tc', '-s', 'qdisc', 'show', 'dev', this.nsIf]).trim();
  }

  /** Runs `node <args>` inside the namespace (for measurements). */
  spawnNode(args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns, process.execPath, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return child;
  }

  /**
   * Makes the namespace's 127.0.0.1:<port> reachable from this machine as `<nsIp>:<port>` (a browser's
   * remote-control port that listens on the namespace's loopback).
   */
  async exposeNsPort(port: number): Promise<string> {
    await this.forwardInNs(this.nsIp, port, '127.0.0.1', port);
    return `${this.nsIp}:${port}`;
  }

  private async forwardInNs(lHost: string, lPort: number, tHost: string, tPort: number): Promise<void> {
    const child = this.spawnNode([FORWARDER, lHost, String(lPort), tHost, String(tPort)]);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(
        () => reject(new Error(`forwarder in ${this.ns} did not start: ${err}`)),
        10_000,
      );
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`forwarder in ${this.ns} exited with ${code}: ${err}`));
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((r) => this.hostForwarder.close(() => r()));
    this.closeSync();
  }

  private closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.onExit);
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGTERM');
    this.hostForwarder.close(() => undefined);
    for (const b of this.bridges) b.close(() => undefined);
    try {
      sh(['ip', 'netns', 'del', this.ns]); // removes the veth pair too
    } catch {
      /* already gone */
    }
    try {
      sh(['ip', 'link', 'del', this.hostIf]);
    } catch {
      /* went with the namespace */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
