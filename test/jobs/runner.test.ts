import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobManager, JobError } from '../../main/jobs/manager.ts';
import { readJournal } from '../../main/jobs/journal.ts';
import type { ApiEvent } from '../../contract/api.ts';
import type { DemoResult } from '../../main/demo/job.ts';
import { rosenbrock } from '../../main/demo/rosenbrock.ts';

const demoModule = new URL('../../main/demo/job.ts', import.meta.url);

function manager(runsDir = mkdtempSync(join(tmpdir(), 'optiloop-runs-'))): JobManager {
  return new JobManager({ runsDir, resolveModule: (k) => (k === 'demo' ? demoModule : undefined), throttleMs: 50 });
}

test('a demo job runs to the end: every evaluation journaled, result written, and it optimises', async () => {
  const m = manager();
  const events: ApiEvent[] = [];
  m.on((e) => events.push(e));
  const s = await m.start({ kind: 'demo', options: { budget: 240, seed: 7, lambda: 8, workers: 2 } });
  const d = await m.wait(s.id);
  assert.equal(d.state, 'done');
  const r = d.result as DemoResult;
  assert.equal(r.evaluations, 240);
  assert.equal(r.failures, 0);
  const journal = readJournal(join(d.runDir, 'journal.jsonl'));
  assert.equal(journal.length, 240);
  // The journal's values are the function's values: recompute one.
  const j = journal[17] as { x: number[]; f: number };
  assert.equal(j.f, rosenbrock(j.x));
  // The ES must improve a lot on the first generation's best (4-D Rosenbrock, start in [-2, 2]^4).
  const firstGen = Math.min(...journal.slice(0, 8).map((e) => e.f as number));
  assert.ok(r.best && r.best.f < firstGen / 10, `best ${r.best?.f} vs first generation ${firstGen}`);
  assert.deepEqual(JSON.parse(readFileSync(join(d.runDir, 'result.json'), 'utf8')), r);
  // States went queued -> running -> done; progress was batched, never dropped.
  const states = events.filter((e) => e.type === 'job.state').map((e) => (e as { job: { state: string } }).job.state);
  assert.deepEqual(states, ['queued', 'running', 'done']);
  const batches = events.filter((e) => e.type === 'job.progress') as Extract<ApiEvent, { type: 'job.progress' }>[];
  const reports = batches.reduce((n, b) => n + b.batch.length, 0);
  assert.equal(reports, 240 / 8);
  assert.equal(d.history.length, 30);
  assert.equal(batches.at(-1)!.progress.evaluations, 240);
});

test('a worker that crashes, hangs or throws costs one evaluation each; the job goes on', async () => {
  const m = manager();
  const s = await m.start({
    kind: 'demo',
    options: { budget: 40, seed: 3, lambda: 4, workers: 2, taskTimeoutMs: 1500, crashAt: [5], hangAt: [13], throwAt: [22] },
  });
  const d = await m.wait(s.id);
  assert.equal(d.state, 'done');
  const r = d.result as DemoResult;
  assert.equal(r.evaluations, 40);
  assert.equal(r.failures, 3);
  assert.equal(r.pool.crashes, 1);
  assert.equal(r.pool.timeouts, 1);
  assert.equal(r.pool.replaced, 2);
  const failed = readJournal(join(d.runDir, 'journal.jsonl')).filter((e) => e.f === null);
  assert.deepEqual(failed.map((e) => [e.index, e.error]), [[5, 'crash'], [13, 'timeout'], [22, 'error']]);
  assert.ok(d.log.some((l) => l.level === 'warn' && /evaluation 5 failed \(crash\)/.test(l.message)));
});

test('cancel keeps the journal and the best so far; resume continues from the journal', async () => {
  const m = manager();
  const s = await m.start({ kind: 'demo', options: { budget: 400, seed: 11, lambda: 4, workers: 2, delayMs: 40 } });
  await new Promise<void>((ok) => {
    const off = m.on((e) => {
      if (e.type === 'job.progress' && e.id === s.id && e.progress.evaluations >= 12) {
        off();
        ok();
      }
    });
  });
  m.cancel(s.id);
  const d = await m.wait(s.id);
  assert.equal(d.state, 'cancelled');
  const r = d.result as DemoResult;
  assert.equal(r.cancelled, true);
  assert.ok(r.evaluations >= 12 && r.evaluations < 400);
  const journaled = readJournal(join(d.runDir, 'journal.jsonl'));
  assert.equal(journaled.filter((e) => e.f !== null).length, r.evaluations - r.failures);
  const bestJournaled = Math.min(...journaled.filter((e) => e.f !== null).map((e) => e.f as number));
  assert.equal(r.best!.f, bestJournaled);

  m.resume(s.id);
  const d2 = await m.wait(s.id);
  assert.equal(d2.state, 'done');
  const r2 = d2.result as DemoResult;
  assert.equal(r2.resumedFrom, journaled.length);
  assert.equal(r2.evaluations, 400);
  assert.ok(r2.best!.f <= r.best!.f);
  assert.equal(readJournal(join(d2.runDir, 'journal.jsonl')).length, 400);
});

test('invalid options are refused before anything starts', async () => {
  const m = manager();
  await assert.rejects(m.start({ kind: 'demo', options: { budget: -5 } }), (e: unknown) => e instanceof JobError && /budget/.test(e.message));
  await assert.rejects(m.start({ kind: 'demo', options: { nonsense: 1 } }), /nonsense/);
  await assert.rejects(m.start({ kind: 'grid' }), /no workbench for job kind 'grid'/);
  await assert.rejects(m.start({ kind: 'demo', input: { path: '/nonexistent/case.m' } }), /no such file/);
  assert.equal(m.list().length, 0);
});

test('a run interrupted by a dead process is listed as failed and resumable', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'optiloop-runs-'));
  const m = manager(runsDir);
  const s = await m.start({ kind: 'demo', options: { budget: 16, lambda: 4, workers: 1 } });
  const d = await m.wait(s.id);
  // Simulate a crash mid-run: state left as running, a torn last journal line.
  const metaPath = join(d.runDir, 'job.json');
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  writeFileSync(metaPath, JSON.stringify({ ...meta, state: 'running' }));
  appendFileSync(join(d.runDir, 'journal.jsonl'), '{"type":"eval","index":16,"x":[0.1');
  const again = manager(runsDir);
  const listed = again.list().find((j) => j.id === s.id)!;
  assert.equal(listed.state, 'failed');
  assert.match(listed.error ?? '', /interrupted/);
  assert.equal(readJournal(join(d.runDir, 'journal.jsonl')).length, 16);
});
