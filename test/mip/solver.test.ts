/**
 * The independent checker, the HiGHS adapter on a persistent model (changes undone after each
 * sub-problem), and the worker-hosted solver (model re-sent after recycling, cancel).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseLp } from '../../simulators/mip/lp.ts';
import { parseMps } from '../../simulators/mip/mps.ts';
import { checkSolution } from '../../simulators/mip/check.ts';
import { HighsSession } from '../../simulators/mip/highs.ts';
import { inlineRuntime, WorkerSubSolver } from '../../main/mip/solver.ts';

const RES = fileURLToPath(new URL('../../resources/mip/', import.meta.url));
const workshop = () => parseLp(readFileSync(join(RES, 'workshop.lp'), 'utf8'), 'workshop.lp');
const mps = (name: string) => parseMps(readFileSync(join(RES, `${name}.mps`), 'utf8'), name);

test('checker: the known optimum of workshop.lp is feasible with objective 1030; each kind of violation is caught', () => {
  const m = workshop();
  const col = (n: string) => m.colNames.indexOf(n);
  const x = new Float64Array(m.colNames.length);
  x[col('chairs')] = 6;
  x[col('tables')] = 13;
  x[col('shelves')] = 15;
  x[col('open_tables')] = 1;
  const ok = checkSolution(m, x);
  assert.equal(ok.feasible, true, ok.messages.join('; '));
  assert.equal(ok.objective, 1030);
  assert.equal(ok.maxViolation, 0);

  const frac = Float64Array.from(x);
  frac[col('chairs')] = 5.5;
  const r1 = checkSolution(m, frac);
  assert.equal(r1.feasible, false);
  assert.equal(r1.integralityViolations, 1);

  const row = Float64Array.from(x);
  row[col('tables')] = 14; // carpentry 6 + 28 + 7.5 = 41.5 > 40, wood 18 + 56 + 30 = 104 > 100
  const r2 = checkSolution(m, row);
  assert.equal(r2.feasible, false);
  assert.equal(r2.rowViolations, 2);

  const bound = Float64Array.from(x);
  bound[col('shelves')] = 16; // upper bound 15 (the row slack would allow it)
  bound[col('chairs')] = 5;
  const r3 = checkSolution(m, bound);
  assert.equal(r3.boundViolations, 1);

  // A column with an infinite lower bound and a finite upper bound is still checked against the upper.
  const free = parseLp('Maximize\n obj: x\nSubject To\n c: x + y >= -10\nBounds\n -inf <= x <= 5\n y free\nEnd\n', 'free.lp');
  assert.equal(checkSolution(free, [6, 0]).boundViolations, 1);
  assert.equal(checkSolution(free, [-1e9, 1e9]).feasible, true);
  assert.equal(checkSolution(free, [0, -11]).rowViolations, 1);
});

test('HiGHS session: sub-problem changes (bounds, rows, objective, sense, relaxation) are undone after each solve', async () => {
  const highs = await inlineRuntime();
  const m = workshop();
  const s = new HighsSession(highs, m);
  try {
    const full = s.solve({ timeLimit: 30 });
    assert.equal(full.status, 'optimal');
    assert.ok(Math.abs(full.objective! - 1030) < 1e-6);
    const chairs = m.colNames.indexOf('chairs');
    // Fix chairs to 0 and forbid tables: a different, worse optimum.
    const sub = s.solve({
      timeLimit: 30,
      bounds: { index: [chairs], lower: [0], upper: [0] },
      rows: [{ lower: -Infinity, upper: 0, index: [m.colNames.indexOf('tables')], value: [1] }],
    });
    assert.equal(sub.status, 'optimal');
    assert.ok(Math.abs(sub.objective! - 300) < 1e-6, `sub-problem optimum ${sub.objective}`); // shelves only: 15 * 20
    const relax = s.solve({ timeLimit: 30, relax: true });
    assert.equal(relax.status, 'optimal');
    assert.ok(relax.objective! > 1030, 'the LP relaxation bounds the MIP from above');
    const flipped = s.solve({ timeLimit: 30, cost: new Float64Array(m.colNames.length).fill(1), sense: 'min' });
    assert.ok(Math.abs(flipped.objective!) < 1e-9, 'min sum of columns is 0');
    const again = s.solve({ timeLimit: 30 });
    assert.ok(Math.abs(again.objective! - 1030) < 1e-6, 'the original model is intact');
    assert.equal(checkSolution(m, again.x!).feasible, true);
    const zero = s.solve({ timeLimit: 0 });
    assert.equal(zero.status, 'time-limit');
    assert.equal(zero.x, null);
  } finally {
    s.dispose();
  }
});

test('HiGHS session: infeasible and unbounded models get their status', async () => {
  const highs = await inlineRuntime();
  const inf = new HighsSession(highs, parseLp('Minimize\n obj: x\nSubject To\n c1: x + y >= 3\n c2: x + y <= 2\nGenerals\n x y\nEnd\n', 'inf.lp'));
  const unb = new HighsSession(highs, parseLp('Maximize\n obj: x + y\nSubject To\n c1: x - y <= 2\nGenerals\n x y\nEnd\n', 'unb.lp'));
  try {
    assert.equal(inf.solve({ timeLimit: 10 }).status, 'infeasible');
    assert.match(unb.solve({ timeLimit: 10 }).status, /^unbounded/);
  } finally {
    inf.dispose();
    unb.dispose();
  }
});

test('worker solver: solves in a worker, re-sends the model to a recycled worker, stops on cancel', async () => {
  const m = mps('neos5');
  // A 1-byte heap limit recycles the worker after every solve: each next solve must re-send the model.
  const solver = new WorkerSubSolver(m, { heapLimitBytes: 1 });
  try {
    await solver.ready();
    const a = await solver.solve({ timeLimit: 20, relax: true });
    assert.equal(a.status, 'optimal');
    assert.ok(Math.abs(a.objective! - 13) < 1e-6, `neos5 LP bound ${a.objective}`);
    const b = await solver.solve({ timeLimit: 20, relax: true });
    assert.ok(Math.abs(b.objective! - 13) < 1e-6);
    assert.equal(solver.stats.recycled, 2);
    // Cancel a long solve after 1.5 s: it returns well before its 60 s limit, with its best so far.
    const ac = new AbortController();
    const seen: number[] = [];
    setTimeout(() => ac.abort(), 1500);
    const t0 = performance.now();
    const c = await solver.solve({ timeLimit: 60, seed: 3 }, { signal: ac.signal, onIncumbent: (_t, z) => seen.push(z) });
    const took = (performance.now() - t0) / 1000;
    assert.ok(took < 30, `cancel took ${took} s`);
    if (c.status !== 'optimal') assert.equal(c.status, 'interrupted');
    if (c.x) assert.equal(checkSolution(m, c.x).feasible, true);
    assert.ok(seen.length >= 1, 'incumbents are streamed from the worker');
  } finally {
    await solver.close();
  }
});

test('HiGHS adapter: every solve has its own clock (an LP relaxation after a MIP solve longer than its limit still solves)', async () => {
  const highs = await inlineRuntime();
  const s = new HighsSession(highs, mps('neos5'));
  try {
    // HiGHS's time_limit is cumulative over a model's runs unless its clocks are reset.
    const mip = s.solve({ timeLimit: 1.2, seed: 1 });
    assert.ok(mip.x !== null);
    const lp = s.solve({ timeLimit: 1, relax: true });
    assert.equal(lp.status, 'optimal');
    assert.ok(Math.abs(lp.objective! - 13) < 1e-6, `LP relaxation of neos5: ${lp.objective}`);
  } finally {
    s.dispose();
  }
});

test('HiGHS adapter: stopWhenStalled stops a solve that found solutions once none came for the stall time', async () => {
  const highs = await inlineRuntime();
  const m = mps('pk1');
  const s = new HighsSession(highs, m);
  try {
    const r = s.solve({ timeLimit: 30, seed: 1, stopWhenStalled: { afterSeconds: 0, stallSeconds: 0.3 } });
    assert.ok(r.x !== null, 'a solution');
    assert.equal(checkSolution(m, r.x!).feasible, true);
    assert.ok(r.trace.length >= 1);
    // pk1 is not solved to optimality quickly: the solve ended by the stall rule, not by its limit.
    assert.notEqual(r.status, 'optimal');
    assert.equal(r.status, 'interrupted');
    // improveOn: nothing counts until a solution better than the given value is found.
    const r2 = s.solve({ timeLimit: 2, seed: 1, stopWhenStalled: { afterSeconds: 0, stallSeconds: 0.01, improveOn: -1 } });
    assert.equal(r2.status, 'time-limit', 'no solution better than -1 exists: the stall rule never applies');
    // capWithSolution: a hard stop at that time once a counting solution exists (stalled or not)...
    const r3 = s.solve({ timeLimit: 30, seed: 1, stopWhenStalled: { afterSeconds: 30, stallSeconds: 30, capWithSolution: 0.5 } });
    assert.equal(r3.status, 'interrupted');
    assert.ok(r3.x !== null && checkSolution(m, r3.x).feasible);
    // ...and none while there is no such solution (the start of Balans keeps its whole time then).
    const r4 = s.solve({ timeLimit: 1.5, seed: 1, stopWhenStalled: { afterSeconds: 0, stallSeconds: 0, improveOn: -1, capWithSolution: 0.1 } });
    assert.equal(r4.status, 'time-limit');
  } finally {
    s.dispose();
  }
});
