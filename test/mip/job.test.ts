/**
 * The MIP job module with a hand-made context (exports, journal, cancel, resume, bad input), and the
 * `optiloop mip solve` verb end to end through the job runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import job, { MipOptions } from '../../main/mip/job.ts';
import cli from '../../main/mip/cli.ts';
import { mipService } from '../../main/mip/service.ts';
import type { JobContext } from '../../main/jobs/types.ts';
import type { JobProgress } from '../../contract/api.ts';
import type { MipInspection, MipProgress, MipResult } from '../../contract/mip.ts';
import { InputError } from '../../simulators/errors.ts';

const RES = fileURLToPath(new URL('../../resources/mip/', import.meta.url));

function makeCtx(options: Record<string, unknown>, previous: Record<string, unknown>[] = [], signal?: AbortSignal, onProgress?: (p: JobProgress) => void) {
  const runDir = mkdtempSync(join(tmpdir(), 'optiloop-mip-'));
  const records: Record<string, unknown>[] = [];
  const progress: JobProgress[] = [];
  const ctx: JobContext<MipOptions> = {
    jobId: 'test',
    kind: 'mip',
    options: MipOptions.parse(options),
    runDir,
    signal: signal ?? new AbortController().signal,
    journal: { append: (r) => records.push(r), previous },
    progress: (p) => {
      progress.push(p);
      onProgress?.(p);
    },
    log: () => {},
  };
  return { ctx, records, progress, runDir };
}

test('job: workshop.lp with Balans in a HiGHS worker: optimum 1030, contract fields, .sol and JSON exports, journal', async () => {
  const { ctx, records, progress, runDir } = makeCtx({ file: join(RES, 'workshop.lp'), timeLimit: 10, seed: 3 });
  const r = await job.run(ctx);
  for (const k of ['kind', 'instance', 'method', 'seed', 'sense', 'objective', 'status', 'seconds', 'solution', 'trace', 'arms']) assert.ok(k in r, k);
  assert.equal(r.kind, 'mip');
  assert.equal(r.instance, 'workshop');
  assert.equal(r.method, 'balans');
  assert.equal(r.sense, 'max');
  assert.equal(r.objective, 1030);
  // Balans never proves optimality itself (its LP bound here is 1045): the status is "feasible".
  assert.ok(r.status === 'feasible' || r.status === 'optimal', r.status);
  assert.deepEqual(r.solution, { chairs: 6, tables: 13, shelves: 15, open_tables: 1 });
  assert.equal(r.check!.feasible, true);
  assert.ok(r.trace.length >= 1 && r.trace.at(-1)![1] === 1030);
  const sol = join(runDir, 'exports', 'workshop.sol');
  assert.deepEqual(r.exports, [sol, join(runDir, 'exports', 'workshop.balans.json')]);
  assert.equal(readFileSync(sol, 'utf8'), '=obj= 1030\nchairs 6\ntables 13\nshelves 15\nopen_tables 1\n');
  const report = JSON.parse(readFileSync(r.exports[1], 'utf8')) as { trace: unknown[]; arms: unknown };
  assert.ok(Array.isArray(report.trace) && typeof report.arms === 'object');
  assert.ok(records.some((x) => x.type === 'incumbent' && x.objective === 1030));
  const last = progress.at(-1)!.data as MipProgress;
  assert.equal(last.incumbent, 1030);
  assert.equal(last.sense, 'max');
});

test('job: cancel stops a long run soon and returns the best checked solution; resume starts from the journalled incumbent', async () => {
  const ac = new AbortController();
  let armed = false;
  // Cancel 2 s after the first incumbent (the worker's start-up time varies with the machine's load).
  const { ctx, records } = makeCtx({ file: join(RES, 'pk1.mps'), timeLimit: 120, seed: 1 }, [], ac.signal, (p) => {
    if (!armed && p.best !== null && p.best !== undefined) {
      armed = true;
      setTimeout(() => ac.abort(), 2000);
    }
  });
  const t0 = performance.now();
  const r = await job.run(ctx);
  const took = (performance.now() - t0) / 1000;
  assert.ok(took < 60, `cancelled run took ${took} s`);
  assert.equal(r.status, 'cancelled-feasible');
  assert.equal(r.check!.feasible, true);
  const inc = records.filter((x) => x.type === 'incumbent');
  assert.ok(inc.length >= 1);
  const lastZ = inc.at(-1)!.objective as number;
  assert.ok(Math.abs(r.objective! - lastZ) < 1e-6);

  // Resume with the journal: plain HiGHS for 1 s starts from that incumbent, so it cannot be worse.
  const resumed = makeCtx({ file: join(RES, 'pk1.mps'), timeLimit: 1, seed: 1, method: 'highs', inline: true }, records);
  const r2 = await job.run(resumed.ctx);
  assert.ok(r2.objective !== null && r2.objective <= lastZ + 1e-6, `resumed ${r2.objective} vs ${lastZ}`);
});

test('job: options are validated (operators, method, time limit) and a bad file fails with file and line', async () => {
  assert.throws(() => MipOptions.parse({ file: '/x.mps', operators: ['mutaton'] }), /unknown operator/);
  assert.throws(() => MipOptions.parse({ file: '/x.mps', method: 'cplex' }));
  assert.throws(() => MipOptions.parse({ file: '/x.mps', timeLimit: -1 }));
  assert.throws(() => MipOptions.parse({ file: '/x.mps', budget: 3 }), /budget/);
  const dir = mkdtempSync(join(tmpdir(), 'optiloop-mip-bad-'));
  const bad = join(dir, 'bad.lp');
  writeFileSync(bad, 'Minimize\n obj: x + y\nSubject To\n c1: x + y >= 1\n c2: x - y @ 3\nEnd\n');
  const { ctx } = makeCtx({ file: bad, timeLimit: 1 });
  await assert.rejects(job.run(ctx), (e: unknown) => e instanceof InputError && e.line === 5 && e.file === bad);
});

test('service: examples are the shipped instances; inspect reports counts, sparsity and inapplicable operators', () => {
  const ex = mipService.examples();
  assert.ok(ex.some((e) => e.id === 'mip/workshop' && existsSync(e.file)));
  assert.ok(ex.some((e) => e.id === 'mip/gen-ip054'));
  const text = readFileSync(join(RES, 'gen-ip054.mps'), 'utf8');
  const ins = mipService.inspect('gen-ip054.mps', text) as Awaited<ReturnType<typeof mipService.inspect>>;
  const d = ins.details as MipInspection;
  assert.equal(d.rows, 27);
  assert.equal(d.columns, 30);
  assert.equal(d.integers, 30);
  assert.equal(d.binaries, 0);
  assert.equal(d.nonZeros, 532);
  assert.equal(d.sparsity.counts.reduce((a, b) => a + b, 0), 532);
  assert.ok(d.inapplicableOperators.some((o) => o.operator === 'local_branching_10' && /no binary/.test(o.reason)));
  assert.throws(() => mipService.inspect('bad.mps', 'ROWS\n N obj\nCOLUMNS\n x obj one\nENDATA\n'), /bad\.mps:4: coefficient "one" is not a number/);
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false }, out, err };
}

test('cli: bad options exit 2 with a clear message; a bad file exits 1 with file:line', async () => {
  const solve = cli.verbs.solve;
  const file = join(RES, 'workshop.lp');
  for (const [argv, pattern] of [
    [[file, '--method', 'gurobi'], /--method gurobi: expected one of balans, highs/],
    [[file, '--time-limit', 'abc'], /--time-limit abc: expected a number >= 0/],
    [[file, '--operators', 'rins_40,nope'], /unknown operator "nope"/],
    [[file, '--bandit', 'greedy'], /--bandit greedy/],
    [[file, '--colour'], /Unknown option '--colour'/],
    [[], /expected one instance file/],
    [['/no/such/file.mps'], /no such file/],
  ] as [string[], RegExp][]) {
    const t = io();
    assert.equal(await solve.run(argv, t.io), 2, argv.join(' '));
    assert.match(t.err.join('\n'), pattern);
  }
  const dir = mkdtempSync(join(tmpdir(), 'optiloop-mip-cli-'));
  const bad = join(dir, 'bad.mps');
  writeFileSync(bad, 'NAME bad\nROWS\n N obj\n L c1\nCOLUMNS\n    x obj 1 c2 1\nENDATA\n');
  const t = io();
  assert.equal(await solve.run([bad], t.io), 1);
  assert.match(t.err.join('\n'), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6: row "c2" is not declared`));
});

test('cli: `mip solve workshop.lp --method highs` runs through the job runner and writes the result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiloop-mip-cli-'));
  const out = join(dir, 'result.json');
  const t = io();
  const code = await cli.verbs.solve.run([join(RES, 'workshop.lp'), '--method', 'highs', '--time-limit', '5', '--seed', '2', '--out', out, '--runs-dir', join(dir, 'runs')], t.io);
  assert.equal(code, 0, t.err.join('\n'));
  const r = JSON.parse(readFileSync(out, 'utf8')) as MipResult;
  assert.equal(r.kind, 'mip');
  assert.equal(r.method, 'highs');
  assert.equal(r.seed, 2);
  assert.equal(r.objective, 1030);
  assert.equal(r.status, 'optimal');
  assert.deepEqual(r.arms, {});
  assert.match(t.out.join('\n'), /workshop: optimal, objective 1030/);
});
