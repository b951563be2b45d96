import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../main/server/index.ts';
import type { ApiEvent, Envelope, JobDetail, JobSummary } from '../../contract/api.ts';

const staticDir = mkdtempSync(join(tmpdir(), 'optiloop-static-'));
mkdirSync(join(staticDir, 'assets'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Optiloop</title>');
const srv = await startServer({ port: 0, runsDir: mkdtempSync(join(tmpdir(), 'optiloop-runs-')), staticDir });
after(() => srv.close());

async function call<T>(channel: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; env: Envelope<T> }> {
  const res = await fetch(`${srv.url}api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, env: (await res.json()) as Envelope<T> };
}

test('the API answers over HTTP with the contract envelope', async () => {
  const { status, env } = await call<{ shell: string; cores: number }>('app.info', {});
  assert.equal(status, 200);
  assert.ok(env.ok);
  assert.equal(env.value.shell, 'web');
  assert.ok(env.value.cores >= 1);
});

test('bad requests get clear errors and the server keeps running', async () => {
  const unknown = await call('jobs.explode', {});
  assert.equal(unknown.status, 400);
  assert.ok(!unknown.env.ok && /unknown channel 'jobs.explode'/.test(unknown.env.error.message));
  const malformed = await call('jobs.start', '{"kind": ');
  assert.equal(malformed.status, 400);
  assert.ok(!malformed.env.ok && /not JSON/.test(malformed.env.error.message));
  const invalid = await call('jobs.start', { kind: 'teleport' });
  assert.ok(!invalid.env.ok && invalid.env.error.code === 'bad-request' && /kind/.test(invalid.env.error.message));
  const extra = await call('jobs.list', { sneaky: true });
  assert.ok(!extra.env.ok && /sneaky/.test(extra.env.error.message));
  const wrongType = await call('problem.inspect', { input: { name: 'notes.docx', text: 'hello' } });
  assert.ok(!wrongType.env.ok && wrongType.env.error.code === 'bad-input' && /notes\.docx/.test(wrongType.env.error.message));
  const missing = await call('jobs.get', { id: 'nope' });
  assert.equal(missing.status, 404);
  const crossOrigin = await call('app.info', {}, { origin: 'https://evil.example' });
  assert.equal(crossOrigin.status, 403);
  // Still alive.
  assert.ok((await call('jobs.list', {})).env.ok);
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const port = new URL(srv.url).port;
  const status = await new Promise<number>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
  assert.equal(status, 403);
});

test('the renderer is served with the strict CSP', async () => {
  const res = await fetch(`${srv.url}runs/some/deep/link`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.match(await res.text(), /<title>Optiloop<\/title>/);
});

test('jobs started over HTTP stream state and progress events over SSE, and cancel works', async () => {
  const ctrl = new AbortController();
  const res = await fetch(`${srv.url}api/events`, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  const events: ApiEvent[] = [];
  let buf = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of chunk.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as ApiEvent);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const started = await call<JobSummary>('jobs.start', { kind: 'demo', options: { budget: 2000, lambda: 4, workers: 1, delayMs: 20 } });
  assert.ok(started.env.ok);
  const id = started.env.value.id;
  while (!events.some((e) => e.type === 'job.progress' && e.id === id && e.progress.evaluations >= 8)) await new Promise((r) => setTimeout(r, 50));
  assert.ok((await call('jobs.cancel', { id })).env.ok);
  let detail: JobDetail;
  for (;;) {
    const d = await call<JobDetail>('jobs.get', { id });
    assert.ok(d.env.ok);
    detail = d.env.value;
    if (detail.state !== 'running' && detail.state !== 'queued') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(detail.state, 'cancelled');
  const exported = await call<{ fileName: string; text: string }>('jobs.export', { id, file: 'result.json' });
  assert.ok(exported.env.ok);
  const result = JSON.parse(exported.env.value.text) as { cancelled: boolean; evaluations: number };
  assert.equal(result.cancelled, true);
  assert.ok(result.evaluations >= 8 && result.evaluations < 2000);
  const escape = await call('jobs.export', { id, file: '../job.json' });
  assert.ok(!escape.env.ok);
  const states = events.filter((e) => e.type === 'job.state' && e.job.id === id).map((e) => (e as { job: JobSummary }).job.state);
  assert.deepEqual(states, ['queued', 'running', 'cancelled']);
  ctrl.abort();
  await pump;
});
