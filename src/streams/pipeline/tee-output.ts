/**
 * Restream (issue 12): the local provider's one FFmpeg output fanned out with the `tee` muxer. The
 * HLS recording is the first slave and fails the process as before; each restream target is an FLV
 * slave with `onfail=ignore`, so a dead or refusing target never stops the recording or the others.
 * RTMPS targets verify the peer (`tls_verify=1` + the CA file), as the Mux output does.
 */

/** One restream destination as FFmpeg sees it. */
export interface RestreamSlave {
  /** The restream target's id (status messages name it). */
  id: string;
  name: string;
  /** Where FFmpeg publishes: see `restreamSlaveUrl`. */
  url: string;
  /** The part of `url` that is a credential, masked in every line FFmpeg writes (null: none). */
  secret: string | null;
  caFile: string | null;
  /** The tcUrl to announce, when `url` is a loopback relay's (see output-relays.ts). */
  tcUrl?: string;
}

/**
 * The target's URL and its key. In the app FFmpeg never sees it: the pipeline hands each target to a
 * loopback relay (output-relays.ts) and FFmpeg publishes to the relay under a placeholder.
 */
export function restreamSlaveUrl(target: { url: string; streamKey: string }): {
  url: string;
  secret: string;
} {
  return { url: `${target.url.replace(/\/+$/, '')}/${target.streamKey}`, secret: target.streamKey };
}

/**
 * A value for a slave option with the tee's reserved characters escaped. The spec is unescaped twice
 * (split at `|`, then at `:`), so each reserved character takes three backslashes.
 */
export function teeEscape(value: string): string {
  return value.replace(/[\\'|[\]:=]/g, (c) => `\\\\\\${c}`);
}

/** Characters the tee muxer's slave syntax gives a meaning to; a value holding one is refused. */
const TEE_SYNTAX = /[\\'|[\]:=]/;
const TEE_URL_SYNTAX = /[\\'|[\]]/;

export class TeeSyntaxError extends Error {}

/** A path or URL the tee's slave list can carry as it is. */
export function teeSafePath(path: string): boolean {
  return !TEE_URL_SYNTAX.test(path);
}

function slaveOptions(options: [string, string][]): string {
  for (const [k, v] of options)
    if (TEE_SYNTAX.test(k) || TEE_SYNTAX.test(v))
      throw new TeeSyntaxError(`tee option ${k} has a reserved character`);
  return options.map(([k, v]) => `${k}=${v}`).join(':');
}

/** The FLV slave of one target. */
export function flvSlave(slave: RestreamSlave, sendBufferBytes: number): string {
  if (TEE_URL_SYNTAX.test(slave.url))
    throw new TeeSyntaxError(`restream target ${slave.id}: reserved character in its URL`);
  const tls: [string, string][] = /^rtmps:/i.test(slave.url)
    ? [['tls_verify', '1'], ...(slave.caFile ? ([['ca_file', slave.caFile]] as [string, string][]) : [])]
    : [];
  const opts = slaveOptions([
    ['f', 'flv'],
    ['onfail', 'ignore'],
    ['flvflags', 'no_duration_filesize'],
    ['tcp_nodelay', '1'],
    ['send_buffer_size', String(sendBufferBytes)],
    ...tls,
  ]);
  const tcUrl = slave.tcUrl ? `:rtmp_tcurl=${teeEscape(slave.tcUrl)}` : '';
  return `[${opts}${tcUrl}]${slave.url}`;
}

/**
 * `-f tee <spec>`: the primary output (muxer options as FFmpeg's `-name value` pairs, then its path)
 * as the first slave, then one FLV slave per target.
 */
export function teeArgs(
  primary: { format: string; options: [string, string][]; path: string },
  slaves: readonly RestreamSlave[],
  sendBufferBytes: number,
): string[] {
  if (TEE_URL_SYNTAX.test(primary.path)) throw new TeeSyntaxError('reserved character in the output path');
  const first = `[${slaveOptions([['f', primary.format], ...primary.options])}]${primary.path}`;
  return ['-f', 'tee', [first, ...slaves.map((s) => flvSlave(s, sendBufferBytes))].join('|')];
}

/** Replaces every slave's secret in `text` with `label`. */
export function maskSlaveSecrets(text: string, slaves: readonly RestreamSlave[], label: string): string {
  let out = text;
  for (const s of slaves) if (s.secret && s.secret.length >= 4) out = out.split(s.secret).join(label);
  return out;
}
