/**
 * Issue 16 item 11: what goes wrong inside (the database driver's words, the Mux client's) stays in
 * the server's log; a client gets a generic message that says what it can do.
 */
import request from 'supertest';
import { startApp } from './support/app';
import { makeCreator } from './support/factories';
import { MuxStandin } from './support/mux-standin';
import { deliverMux, liveStreamEvent, muxEnv } from './support/mux-webhooks';

const INTERNALS =
  /prisma|invocation|\$queryRaw|\$executeRaw|22021|22P05|SQLSTATE|driver|adapter|at \w+ \(|Simulated outage|internal_error|127\.0\.0\.1/i;

describe('internal errors do not leak to clients', () => {
  it('a signed Mux event PostgreSQL cannot store: 400 with a generic message; the detail is logged', async () => {
    const t = await startApp(muxEnv());
    try {
      const ev = liveStreamEvent('active', 'ls_nul_test');
      ev.data.note = 'a\u0000b';
      (ev as unknown as Record<string, unknown>).type = 'video.live_stream.active\u0000';
      const res = await deliverMux(t.url, ev);
      expect(res.status).toBe(400);
      const message = String(res.body.message);
      expect(message).toMatch(/cannot be stored/);
      expect(message).not.toMatch(INTERNALS);
      expect(await t.prisma.webhookEvent.count({ where: { id: ev.id } })).toBe(0);
      expect(
        t.logs.some((l) => l.includes(ev.id) && /22021|22P05|invalid byte|unsupported Unicode/i.test(l)),
      ).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a failing Mux API: 502 that names Mux but not what its client said; the detail is logged', async () => {
    const mux = await MuxStandin.start();
    const t = await startApp(mux.env('rtmp://127.0.0.1:9/app'));
    try {
      const c = await makeCreator(t);
      mux.failWith = 500;
      const r = await request(t.url).post('/stream/create').set(c.auth).send({}).expect(502);
      expect(r.body).toMatchObject({ statusCode: 502, message: expect.stringContaining('Mux') });
      expect(String(r.body.message)).not.toMatch(INTERNALS);
      expect(t.logs.some((l) => l.includes('Simulated outage'))).toBe(true);
    } finally {
      mux.failWith = null;
      await t.close();
      await mux.stop();
    }
  });
});
