import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import job, { CircuitOptions } from '../../main/circuit/job.ts';
import type { JobContext } from '../../main/jobs/types.ts';
import type { CircuitProgress, CircuitResult } from '../../contract/circuit.ts';

const TIA = fileURLToPath(new URL('../../resources/circuits/three-stage-tia/problem.yaml', import.meta.url));

function makeCtx(options: Record<string, unknown>, previous: Record<string, unknown>[] = [], signal?: AbortSignal) {
  const runDir = mkdtempSync(join(tmpdir(), 'optiloop-circuit-job-'));
  const journal: Record<string, unknown>[] = [];
  const progress: CircuitProgress[] = [];
  const ctx: JobContext<CircuitOptions> = {
    jobId: 'test',
    kind: 'circuit',
    options: CircuitOptions.parse(options),
    runDir,
    signal: signal ?? new AbortController().signal,
    journal: { append: (r) => void journal.push(JSON.parse(JSON.stringify(r))), previous },
    progress: (p) => void progress.push(p.data as CircuitProgress),
    log: () => {},
  };
  return { ctx, runDir, journal, progress };
}

test('options: defaults and bad values', () => {
  const o = CircuitOptions.parse({ file: '/x/p.yaml' });
  assert.equal(o.agent, 'ddpg');
  assert.equal(o.seed, 1);
  assert.throws(() => CircuitOptions.parse({ file: '/x', agent: 'bayes' }));
  assert.throws(() => CircuitOptions.parse({ file: '/x', budget: 0 }));
});

test('three-stage TIA: a tiny random run simulates real designs, journals and exports them', async () => {
  const { ctx, runDir, journal, progress } = makeCtx({ file: TIA, agent: 'random', budget: 6, seed: 3, workers: 2 });
  try {
    const r = (await job.run(ctx)) as CircuitResult;
    assert.equal(r.kind, 'circuit');
    assert.equal(r.simulations, 6);
    assert.equal(r.trace.length, 6);
    const evals = journal.filter((x) => x.type === 'evaluation');
    assert.equal(evals.length, 6);
    for (const e of evals) {
      // Every design of the box simulates: finite, physical metrics.
      const m = e.metrics as Record<string, number>;
      assert.equal(e.ok, true, String(e.error));
      assert.ok(m.power > 1e-4 && m.power < 0.05, `power ${m.power}`);
      assert.ok(m.gain > 10 && m.gain < 1e7, `gain ${m.gain}`);
      assert.ok(m.bandwidth > 1e5 && m.bandwidth <= 1.001e8, `bandwidth ${m.bandwidth}`);
      assert.ok(m.area > 50e-12 && m.area < 1000e-12, `area ${m.area}`);
    }
    // The human expert's design, simulated by the same engine: the published numbers.
    const ref = r.reference!;
    assert.ok(Math.abs(ref.metrics.power / 1.3694e-3 - 1) < 0.01, `power ${ref.metrics.power}`);
    assert.ok(Math.abs(ref.metrics.area / 211.2e-12 - 1) < 1e-6, `area ${ref.metrics.area}`);
    assert.ok(ref.metrics.bandwidth >= 90.107e6, `bandwidth ${ref.metrics.bandwidth}`);
    // Gain lands on the paper's spec within 0.01 % (20236 Ohm spec, 20240 published).
    assert.ok(Math.abs(ref.metrics.gain / 20236 - 1) < 1e-4, `gain ${ref.metrics.gain}`);
    // Progress carried every evaluation exactly once.
    assert.deepEqual(progress.flatMap((p) => p.points.map((x) => x.evaluation)), [1, 2, 3, 4, 5, 6]);
    // Exports: sized netlist, .param include, designs JSON, evaluations CSV.
    assert.equal(r.exports.length, 4);
    for (const f of r.exports) assert.ok(existsSync(f) && f.startsWith(join(runDir, 'exports')), f);
    const csv = readFileSync(r.exports.find((f) => f.endsWith('.csv'))!, 'utf8').trim().split('\n');
    assert.equal(csv.length, 7);
    assert.match(csv[0], /^evaluation,ok,feasible,score,W1,WL1,/);
    const inc = readFileSync(r.exports.find((f) => f.endsWith('.params.inc'))!, 'utf8');
    assert.match(inc, /^\.param W1=/m);
    const sized = readFileSync(r.exports.find((f) => f.endsWith('.sized.cir'))!, 'utf8');
    assert.match(sized, /agent random, seed 3/);
    assert.ok(r.best.params.W1 >= 2e-6 && r.best.params.W1 <= 15e-6);
    assert.ok(r.bestScore !== null && r.bestScore === Math.max(...evals.map((e) => e.score as number)));
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('three-stage TIA: DDPG resumes from a torn journal and reproduces the uninterrupted run', async () => {
  const opts = { file: TIA, agent: 'ddpg', budget: 8, seed: 5, workers: 2 };
  const full = makeCtx(opts);
  const exportDir = mkdtempSync(join(tmpdir(), 'optiloop-circuit-exp-'));
  try {
    const a = (await job.run(full.ctx)) as CircuitResult;
    assert.equal(a.simulations, 8);
    assert.notEqual(a.backend, 'none');
    // The run stopped after 4 evaluations: keep the start, reference and first 4 records.
    const torn = full.journal.filter((x) => x.type !== 'evaluation' || (x.evaluation as number) <= 4);
    const again = makeCtx({ ...opts, exportDir }, torn);
    const b = (await job.run(again.ctx)) as CircuitResult;
    assert.equal(b.resumed, 4);
    assert.equal(b.simulations, 8);
    assert.equal(again.journal.filter((x) => x.type === 'evaluation').length, 4, 'only new evaluations are journaled');
    assert.deepEqual(b.trace, a.trace);
    assert.deepEqual(b.best, a.best);
    assert.equal(b.exports.length, 8);
    assert.ok(b.exports.some((f) => f.startsWith(exportDir)));
    rmSync(again.runDir, { recursive: true, force: true });
  } finally {
    rmSync(full.runDir, { recursive: true, force: true });
    rmSync(exportDir, { recursive: true, force: true });
  }
});

test('three-stage TIA: a cancelled run returns its best so far and still exports', async () => {
  const ac = new AbortController();
  const { ctx, runDir } = makeCtx({ file: TIA, agent: 'cmaes', budget: 500, seed: 1, workers: 2 }, [], ac.signal);
  const orig = ctx.progress;
  (ctx as { progress: typeof orig }).progress = (p) => {
    orig(p);
    if (p.evaluations >= 4) ac.abort();
  };
  try {
    const r = (await job.run(ctx)) as CircuitResult;
    assert.equal(r.cancelled, true);
    assert.ok(r.simulations >= 4 && r.simulations < 20, `simulations ${r.simulations}`);
    assert.ok(Object.keys(r.best.params).length === 10);
    assert.equal(r.exports.length, 4);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('three-stage TIA: --beat-reference turns the reference targets into hard constraints', async () => {
  const { ctx, runDir, progress } = makeCtx({ file: TIA, agent: 'random', budget: 4, seed: 5, workers: 2, beatReference: true });
  try {
    const r = (await job.run(ctx)) as CircuitResult;
    const ref = r.reference!.metrics;
    const points = progress.flatMap((p) => p.points);
    assert.equal(points.length, 4);
    for (const p of points) {
      const power = p.constraints.find((c) => c.metric === 'power' && c.op === '<=' && c.target === ref.power);
      const area = p.constraints.find((c) => c.metric === 'area' && c.op === '<=' && c.target === ref.area);
      assert.ok(power && area, JSON.stringify(p.constraints));
      // A design is feasible only if it is no worse than the reference on both targets.
      if (p.feasible) assert.ok(p.metrics.power <= ref.power && p.metrics.area <= ref.area);
      assert.equal(area.met, p.metrics.area <= ref.area);
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
