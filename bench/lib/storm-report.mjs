/** The reconnect storm's section of docs/benchmarks.md (bench/storm.mjs measures, this writes it up). */

/** `r`: runStorm()'s result; the targets are issue 16's. */
export function stormSection(r, { admitWithinMs, stallMaxMs }) {
  const f = r.full;
  const c = r.capped;
  const ok = (v) => (v ? 'met' : '**not met**');
  const pct = (x) => ((x.cpuMs / x.wallMs) * 100).toFixed(1);
  const section = `<!-- storm:start -->
## Reconnect storm and pipeline cap (issue 16, item 10)

\`npm run bench -- --only=storm\` (${r.date}, load average ${r.load[0].map((x) => x.toFixed(1)).join(' ')} → ${r.load[1].map((x) => x.toFixed(1)).join(' ')} on 2 cores).
${f.creators} creators with existing streams connect in the same instant (an instance after a restart or deploy), Mux mode
(stand-in API, nginx-rtmp on loopback); once admitted each sends the committed 9 s fixture at its recorded pace, looped
until every hello has had its answer (at least 9 s), then stops (1000).
Admission = hello sent → \`ready\` received (authentication, lease, pipeline created; its FFmpeg is spawned after
that, once its relay listens, one spawn per event-loop turn); pacing \`INGEST_ADMISSION_CONCURRENCY\` 8,
\`INGEST_PIPELINE_STARTS_PER_SECOND\` 25 (the defaults). Event-loop stall = the app's
\`vybzz_nodejs_eventloop_lag_max_seconds\` (perf_hooks monitorEventLoopDelay), scraped when every hello had its answer and
again at the end. FFmpeg runs under ${r.ffmpeg} (\`FFMPEG_SCHED\`, \`FFMPEG_NICE\`), ${r.spawner === 'session' ? 'forked by the session spawner (its own autogroup)' : 'forked by the app (its autogroup)'} (\`FFMPEG_SPAWNER\`); 150 streams of this fixture want more CPU
than 2 cores have (copy + AAC ≈ 2% of a core each), so the streaming part is an overload by design.

| | result | target |
|---|---|---|
| admitted (\`MAX_PIPELINES\` ${f.maxPipelines}) | ${f.admitted} of ${f.creators} | all |
| every admitted stream's FFmpeg started (spawned in turn after \`ready\`) | ${f.allFfmpegStartedMs === null ? 'not seen' : `${(f.allFfmpegStartedMs / 1000).toFixed(1)} s`} after the hellos | (context) |
| admission time p50 / max | ${(f.admitP50Ms / 1000).toFixed(1)} s / ${(f.admitMaxMs / 1000).toFixed(1)} s | max ≤ ${admitWithinMs / 1000} s: ${ok(f.admitted === f.creators && f.admitMaxMs <= admitWithinMs)} |
| event-loop stall max (app), admitting (first ${(f.admissionWindowMs / 1000).toFixed(1)} s) | ${f.loopStallAdmissionMs} ms | ≤ ${stallMaxMs} ms: ${ok(f.loopStallAdmissionMs <= stallMaxMs)} |
| event-loop stall max (app), then streaming all ${f.admitted} | ${f.loopStallStreamingMs} ms | ≤ ${stallMaxMs} ms: ${ok(f.loopStallStreamingMs <= stallMaxMs)} |
| app's main thread while admitting: on a CPU / runnable but waiting for one | ${(f.appLoopCpuMs / 1000).toFixed(1)} s / ${(f.appLoopRunQueueMs / 1000).toFixed(1)} s | (context: CPU starvation) |
| load generator's own loop stall max | ${f.clientLoopMaxMs} ms | (context) |
| broadcasts that ended normally (1000) | ${f.endedNormally} | all admitted |
| \`MAX_PIPELINES\` ${c.maxPipelines}: admitted / refused | ${c.admitted} / ${c.creators - c.admitted} (${
    Object.entries(c.refusedByCode)
      .map(([k, v]) => `${v} × ${k}`)
      .join(', ') || 'none'
  }) | the rest refused with 4503 |
| its refusal reason | "${c.refusalReason ?? '—'}" | a clear message |
| admission p50 / max under the cap | ${(c.admitP50Ms / 1000).toFixed(1)} s / ${(c.admitMaxMs / 1000).toFixed(1)} s; loop stall max ${c.loopStallAdmissionMs} ms admitting, ${c.loopStallStreamingMs} ms streaming | |

Stream-key relay (issue 16, item 3): the app's compiled pipeline run in the bench process with ${r.relay.streams} streams of the
fixture to nginx-rtmp, relay off: ${pct(r.relay.off)}% of a core, relay on: ${pct(r.relay.on)}% (that process, FFmpeg not counted)
→ **${r.relay.perStreamPct}% of a core per stream** for the relay.
<!-- storm:end -->`;
  return section;
}
