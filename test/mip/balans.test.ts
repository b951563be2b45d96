/**
 * Balans: operators (what each one fixes, frees or adds), bandits (they learn the better arm), the loop
 * (reaches known optima, reproducible with a seed, bad models get a clear status).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseLp } from '../../simulators/mip/lp.ts';
import { parseMps } from '../../simulators/mip/mps.ts';
import { Rng } from '../../simulators/rng.ts';
import { Bandit } from '../../simulators/mip/bandits.ts';
import { checkSolution } from '../../simulators/mip/check.ts';
import { columnClasses, destroy, inapplicable, parseArm, type OperatorContext } from '../../simulators/mip/operators.ts';
import { objectiveValue } from '../../simulators/mip/model.ts';
import { primalGap, primalIntegral, solveMip, type IterationRecord } from '../../main/mip/balans.ts';
import { InlineSubSolver, type SubSolver } from '../../main/mip/solver.ts';
import { MIP_BANDITS } from '../../contract/mip.ts';

const RES = fileURLToPath(new URL('../../resources/mip/', import.meta.url));
const mps = (name: string) => parseMps(readFileSync(join(RES, `${name}.mps`), 'utf8'), name);

/** Starts a sub-solver, hands it to `fn`, and closes it whatever happens. */
async function withSolver<S extends SubSolver, T>(solver: S, fn: (s: S) => Promise<T>): Promise<T> {
  await solver.ready();
  try {
    return await fn(solver);
  } finally {
    await solver.close();
  }
}

test('arm names follow Balans: family_rate with the digits as a decimal fraction', () => {
  assert.deepEqual(parseArm('mutation_50'), { family: 'mutation', rate: 0.5, name: 'mutation_50' });
  assert.deepEqual(parseArm('proximity_005'), { family: 'proximity', rate: 0.005, name: 'proximity_005' });
  assert.deepEqual(parseArm('local_branching_10'), { family: 'local_branching', rate: 0.1, name: 'local_branching_10' });
  assert.deepEqual(parseArm('Local-Branching'), { family: 'local_branching', rate: 0.1, name: 'local_branching_10' });
  assert.deepEqual(parseArm('dins'), { family: 'dins', rate: 0, name: 'dins' });
  assert.throws(() => parseArm('mutaton_50'), /unknown operator "mutaton_50"/);
  assert.throws(() => parseArm('crossover_50'), /unknown operator/);
});

function context(): OperatorContext {
  // 6 binaries x0..x5 and 2 general integers g0, g1, one continuous c.
  const m = parseLp(
    `Maximize
 obj: x0 + x1 + x2 + x3 + x4 + x5 + 2 g0 + 3 g1 + c
Subject To
 r1: x0 + x1 + x2 + x3 + x4 + x5 + g0 + g1 + c <= 20
Bounds
 g0 <= 10
 g1 <= 10
 c <= 1
Binaries
 x0 x1 x2 x3 x4 x5
Generals
 g0 g1
End
`,
    'ops.lp',
  );
  const classes = columnClasses(m);
  const current = Float64Array.from([1, 0, 1, 0, 1, 0, 4, 6, 1]);
  const lp = Float64Array.from([1, 0.5, 1, 0, 0.2, 0, 4, 8.5, 1]);
  const partner = Float64Array.from([1, 1, 1, 0, 0, 0, 4, 5, 0]);
  return { model: m, current, currentObjective: objectiveValue(m, current), lp, partner, ...classes };
}

test('operators: mutation, RINS, RENS, DINS and crossover fix or bound exactly the columns they should', () => {
  const ctx = context();
  const rng = new Rng(7);
  assert.deepEqual(ctx.discrete, [0, 1, 2, 3, 4, 5, 6, 7]);
  const fixedOf = (nb: ReturnType<typeof destroy>) => nb.bounds.index.filter((j, k) => nb.bounds.lower[k] === nb.bounds.upper[k]);

  const mut = destroy(parseArm('mutation_25'), ctx, rng);
  assert.equal(mut.freeDiscrete, 2, '25 % of 8 discrete columns are freed');
  assert.equal(fixedOf(mut).length, 6);
  for (const [k, j] of mut.bounds.index.entries()) assert.equal(mut.bounds.lower[k], ctx.current[j], 'fixed at the current value');

  // RINS: current and LP differ on x1, x4, g1 -> rate 0.67 frees floor(0.67 * 3) = 2 of those three;
  // everything else is fixed.
  const rins = destroy(parseArm('rins_67'), ctx, rng);
  const rinsFixed = fixedOf(rins).sort();
  assert.equal(rins.freeDiscrete, 2);
  assert.equal(rinsFixed.length, 6);
  for (const j of [0, 2, 3, 5, 6]) assert.ok(rinsFixed.includes(j), `column ${j} agrees with the LP: fixed`);

  // RENS: LP-fractional discrete columns are x1 (0.5), x4 (0.2), g1 (8.5): bounded to [floor, ceil].
  // Rate 0.67 bounds 2 of the 3; nothing else is touched.
  const rens = destroy(parseArm('rens_67'), ctx, rng);
  const bounds = new Map(rens.bounds.index.map((j, k) => [j, [rens.bounds.lower[k], rens.bounds.upper[k]]]));
  assert.equal(bounds.size, 2);
  for (const j of bounds.keys()) assert.ok([1, 4, 7].includes(j));
  const expectBounds: Record<number, number[]> = { 1: [0, 1], 4: [0, 1], 7: [8, 9] };
  for (const [j, b] of bounds) assert.deepEqual(b, expectBounds[j]);

  // DINS: g1 has |lp - cur| = 2.5 >= 0.5 -> |g1 - 8.5| <= 2.5 -> [6, 10]; g0 agrees -> fixed at 4;
  // binaries agreeing with the LP (x0, x2, x3, x5) are fixed.
  const dins = destroy(parseArm('dins'), ctx, rng);
  const db = new Map(dins.bounds.index.map((j, k) => [j, [dins.bounds.lower[k], dins.bounds.upper[k]]]));
  assert.deepEqual(db.get(7), [6, 10]);
  assert.deepEqual(db.get(6), [4, 4]);
  assert.deepEqual(fixedOf(dins).sort(), [0, 2, 3, 5, 6]);

  // Crossover: current and partner differ on x1, x4, g1 -> those are free, the rest fixed.
  const cx = destroy(parseArm('crossover'), ctx, rng);
  assert.deepEqual(fixedOf(cx).sort(), [0, 2, 3, 5, 6]);
});

test('operators: local branching adds the distance row, proximity and random objective replace the objective with a cutoff', () => {
  const ctx = context();
  const rng = new Rng(3);
  const lb = destroy(parseArm('local_branching_50'), ctx, rng);
  assert.equal(lb.rows.length, 1);
  const row = lb.rows[0];
  // sum_{cur=0} x - sum_{cur=1} x <= k - #ones; ones = 3 (x0, x2, x4); k in 0..3
  assert.deepEqual(row.index, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(row.value, [-1, 1, -1, 1, -1, 1]);
  assert.ok(row.upper >= -3 && row.upper <= 0);
  assert.equal(lb.timeFactor, 2.5);
  // The current solution is always inside its own local-branching ball.
  const dist = row.index.reduce((a, j, k) => a + row.value[k] * ctx.current[j], 0);
  assert.ok(dist <= row.upper);

  const px = destroy(parseArm('proximity_05'), ctx, rng);
  assert.deepEqual(Array.from(px.cost!).slice(0, 6), [-1, 1, -1, 1, -1, 1], 'Hamming distance to the current binaries');
  assert.equal(px.sense, 'min');
  // Maximisation: the objective must rise by 5 % of |z| = 0.05 * 30 = 1.5.
  assert.equal(ctx.currentObjective, 30);
  assert.ok(Math.abs(px.rows[0].lower - 31.5) < 1e-9);

  const ro = destroy(parseArm('random_objective'), ctx, rng);
  assert.equal(ro.cost!.length, 9);
  assert.ok(ro.cost!.every((v) => v >= -1 && v <= 1));
  assert.equal(ro.rows.length, 0, 'random objective restricts nothing: acceptance judges the candidate');
});

test('operators that do not apply are named with the reason', () => {
  const ctx = context();
  const noBin = { ...columnClasses(ctx.model), binaries: [] };
  assert.match(inapplicable(parseArm('local_branching_10'), noBin, true)!, /no binary/);
  assert.match(inapplicable(parseArm('proximity_005'), noBin, true)!, /no binary/);
  assert.match(inapplicable(parseArm('dins'), { ...noBin, generalIntegers: [] }, true)!, /general-integer/);
  assert.match(inapplicable(parseArm('rins_40'), columnClasses(ctx.model), false)!, /LP relaxation/);
  assert.match(inapplicable(parseArm('mutation_50'), { discrete: [], binaries: [], generalIntegers: [] }, true)!, /no integer/);
  assert.equal(inapplicable(parseArm('mutation_50'), columnClasses(ctx.model), true), null);
});

test('each bandit learns to pull the better of two arms most (rewards 8 vs 1, with noise)', () => {
  for (const kind of MIP_BANDITS) {
    const rng = new Rng(11);
    const b = new Bandit(kind, 3, { epsilon: 0.05, alpha: 1, tau: 1.359686, maxReward: 8 });
    for (let t = 0; t < 300; t++) {
      const k = b.select(rng);
      const good = k === 1 ? rng.next() < 0.8 : rng.next() < 0.2;
      b.update(k, good ? 8 : 1);
    }
    assert.ok(b.pulls[1] > 0.6 * 300, `${kind}: arm 1 pulled ${b.pulls[1]} of 300`);
    assert.ok(Math.abs(b.meanReward[1] - (0.8 * 8 + 0.2)) < 1, `${kind}: mean reward of arm 1 ${b.meanReward[1]}`);
  }
});

test('every bandit pulls each arm once (random order) before its own rule; tryEachFirst: false restores MABWiser', () => {
  for (const kind of MIP_BANDITS) {
    const rng = new Rng(3);
    const b = new Bandit(kind, 5, { epsilon: 0.05, alpha: 1, tau: 1.359686, maxReward: 8 });
    const first: number[] = [];
    for (let t = 0; t < 5; t++) {
      const k = b.select(rng);
      first.push(k);
      b.update(k, k === 0 ? 8 : 1); // the first arm that earns anything would otherwise lock softmax in
    }
    assert.deepEqual([...first].sort(), [0, 1, 2, 3, 4], `${kind}: ${first.join(',')}`);
  }
  // Without the first round, softmax (all means 0) keeps pulling the arm rewarded first: arm 0 earns
  // 8 on its first pull, and after that the others are rarely tried.
  const rng = new Rng(5);
  const b = new Bandit('softmax', 5, { epsilon: 0.05, alpha: 1, tau: 1.359686, maxReward: 8, tryEachFirst: false });
  b.update(0, 8);
  let others = 0;
  for (let t = 0; t < 50; t++) if (b.select(rng) !== 0) others++;
  assert.ok(others <= 3, `softmax without a first round tried other arms ${others} times of 50`);
});

test('a disabled arm is never chosen again (all four bandits)', () => {
  for (const kind of MIP_BANDITS) {
    const rng = new Rng(9);
    const b = new Bandit(kind, 3, { epsilon: 0.5, alpha: 1, tau: 1.359686, maxReward: 8 });
    b.disable(1);
    assert.deepEqual(b.activeArms, [0, 2]);
    for (let t = 0; t < 100; t++) {
      const k = b.select(rng);
      assert.notEqual(k, 1, kind);
      b.update(k, 1 + (k === 2 ? 7 : 0));
    }
    assert.throws(() => {
      b.disable(0);
      b.disable(2);
    }, /at least one active arm/);
  }
});

test('primal gap and primal integral (Berthold) on a known trace', () => {
  assert.equal(primalGap(null, 10), 1);
  assert.equal(primalGap(10, 10), 0);
  assert.equal(primalGap(20, 10), 0.5);
  assert.equal(primalGap(-5, 5), 1);
  // gap 1 for 2 s, 0.5 for 3 s, 0 afterwards: 2 + 1.5 = 3.5
  assert.equal(primalIntegral([[2, 20], [5, 10]], 10, 10), 3.5);
});

test('Balans reaches the known optimum of neos5 (15) and of mas76 (40005.054) within 30 s, every result checked', async () => {
  for (const [name, optimum] of [['neos5', 15], ['mas76', 40005.05399]] as const) {
    const m = mps(name);
    await withSolver(new InlineSubSolver(m), async (solver) => {
      const out = await solveMip({ model: m, method: 'balans', timeLimit: 30, seed: 1, solver, config: { reference: optimum, target: optimum } });
      assert.ok(out.objective !== null);
      assert.ok(Math.abs(out.objective - optimum) <= 1e-6 * Math.max(1, optimum), `${name}: ${out.objective}`);
      assert.equal(out.check!.feasible, true);
      assert.ok(out.iterations >= 1);
      assert.ok(out.primalIntegral! < 30, 'the primal integral is below the horizon');
      assert.ok(out.seconds < 30, 'the run stops at the target');
      // The trace improves monotonically and ends at the optimum.
      for (let i = 1; i < out.trace.length; i++) assert.ok(out.trace[i][1] < out.trace[i - 1][1]);
      assert.ok(Math.abs(out.trace.at(-1)![1] - optimum) < 1e-3);
    });
  }
});

test('Balans on pk1 (optimum 11) within 20 s: a feasible solution within a primal gap of 0.5', async () => {
  const m = mps('pk1');
  await withSolver(new InlineSubSolver(m), async (solver) => {
    const out = await solveMip({ model: m, method: 'balans', timeLimit: 20, seed: 2, solver });
    assert.equal(out.check!.feasible, true);
    assert.ok(primalGap(out.objective, 11) <= 0.5, `pk1: ${out.objective}`);
  });
});

test('Balans is reproducible: the same seed gives the same arms, outcomes and objectives', async () => {
  const m = mps('mas76');
  const runOnce = async (seed: number) => {
    const recs: IterationRecord[] = [];
    await withSolver(new InlineSubSolver(m), async (solver) => {
      await solveMip({
        model: m,
        method: 'balans',
        timeLimit: 300,
        seed,
        solver,
        // Sub-MIPs small enough to finish well within their limit, so that time plays no part.
        // The first solution is HiGHS's first one ('first'), which does not depend on the clock either.
        config: { operators: ['mutation_25', 'crossover', 'local_branching_10'], iterationTimeLimit: 60, maxIterations: 8, bandit: 'epsilon-greedy', epsilon: 0.3, initialSolution: 'first' },
        onIteration: (r) => recs.push(r),
      });
    });
    return recs.map((r) => [r.arm, r.outcome, r.candidate === null ? null : Math.round(r.candidate * 1000) / 1000]);
  };
  const a = await runOnce(5);
  const b = await runOnce(5);
  assert.equal(a.length, 8);
  assert.deepEqual(b, a);
  const c = await runOnce(6);
  assert.notDeepEqual(c, a, 'another seed takes another path');
});

test('bad models: infeasible, unbounded, no integer columns, time limit 0 each get a clear status', async () => {
  const cases: [string, string, RegExp, RegExp | null][] = [
    ['Minimize\n obj: x\nSubject To\n c1: x + y >= 3\n c2: x + y <= 2\nGenerals\n x y\nEnd\n', 'balans', /^infeasible$/, null],
    ['Maximize\n obj: x + y\nSubject To\n c1: x - y <= 2\nGenerals\n x y\nEnd\n', 'balans', /^unbounded/, null],
    ['Maximize\n obj: x + y\nSubject To\n c1: x + 2 y <= 4\n c2: 3 x + y <= 6\nEnd\n', 'balans', /^optimal$/, /no integer columns/],
    ['Maximize\n obj: x + y\nSubject To\n c1: x + 2 y <= 4\nGenerals\n x y\nEnd\n', 'highs', /^optimal$/, null],
  ];
  for (const [text, method, status, note] of cases) {
    const m = parseLp(text, 'case.lp');
    const solver = new InlineSubSolver(m);
    const out = await solveMip({ model: m, method: method as 'balans' | 'highs', timeLimit: 10, seed: 1, solver });
    await solver.close();
    assert.match(out.status, status, `${text}: ${out.status} ${out.notes.join('; ')}`);
    if (note) assert.ok(out.notes.some((n) => note.test(n)), out.notes.join('; '));
    if (out.x) assert.equal(checkSolution(m, out.x).feasible, true);
  }
  // The LP case: optimum x = 1.6, y = 1.2, objective 2.8.
  const lp = parseLp(cases[2][0], 'lp.lp');
  const out = await solveMip({ model: lp, method: 'balans', timeLimit: 10, seed: 1, solver: new InlineSubSolver(lp) });
  assert.ok(Math.abs(out.objective! - 2.8) < 1e-9);
  const zero = await solveMip({ model: lp, method: 'balans', timeLimit: 0, seed: 1, solver: new InlineSubSolver(lp) });
  assert.equal(zero.status, 'time-limit');
  assert.equal(zero.objective, null);
  assert.match(zero.notes.join(' '), /time limit 0/);
});

test('simulated annealing: the run returns the best (checked) solution even when it accepted worse ones', async () => {
  const m = mps('markshare_4_0');
  const recs: IterationRecord[] = [];
  await withSolver(new InlineSubSolver(m), async (solver) => {
    const out = await solveMip({
      model: m,
      method: 'balans',
      timeLimit: 60,
      seed: 4,
      solver,
      config: { accept: 'simulated-annealing', saStart: 1e6, saEnd: 1e6, operators: ['mutation_50', 'random_objective'], maxIterations: 10, iterationTimeLimit: 1 },
      onIteration: (r) => recs.push(r),
    });
    assert.equal(out.check!.feasible, true);
    const bestSeen = Math.min(...recs.map((r) => r.best ?? Infinity));
    assert.equal(out.objective, bestSeen);
    // At a huge temperature nearly every candidate is accepted, worse ones included.
    assert.ok(recs.some((r) => r.current !== null && r.best !== null && r.current > r.best), 'a worse current solution was accepted');
  });
});

/** Wraps a solver and counts the LP relaxations it was asked for. */
function countingLp(inner: SubSolver): SubSolver & { lpSolves: number } {
  const w = {
    lpSolves: 0,
    ready: () => inner.ready(),
    close: () => inner.close(),
    stats: inner.stats,
    solve: (req: Parameters<SubSolver['solve']>[0], opts?: Parameters<SubSolver['solve']>[1]) => {
      if (req.relax) w.lpSolves++;
      return inner.solve(req, opts);
    },
  };
  return w;
}

test('the LP relaxation is solved lazily: never without RINS/RENS/DINS, once when such an arm is chosen', async () => {
  const m = mps('mas76');
  const run = async (operators: string[]) => {
    return await withSolver(countingLp(new InlineSubSolver(m)), async (solver) => {
      const out = await solveMip({
        model: m,
        method: 'balans',
        timeLimit: 60,
        seed: 1,
        solver,
        config: { operators, maxIterations: 4, iterationTimeLimit: 1, firstSolutionTimeLimit: 0.3, initialSolution: 'first' },
      });
      assert.equal(out.check!.feasible, true);
      return { lpSolves: solver.lpSolves, out };
    });
  };
  const noLp = await run(['mutation_25', 'local_branching_10']);
  assert.equal(noLp.lpSolves, 0, 'mutation and local branching never need the LP relaxation');
  const withLp = await run(['rins_40', 'mutation_25']);
  assert.equal(withLp.lpSolves, 1, 'the LP relaxation is solved once, when RINS is first chosen');
  assert.ok(withLp.out.arms.rins_40.pulls >= 1);
  // The LP bound of mas76 (38893.9) is known once it was solved (or the tighter bound of HiGHS's root).
  assert.ok(withLp.out.bound !== null && withLp.out.bound <= 40005.06);
});

test('the initial HiGHS solve: its incumbents are credited at the times HiGHS found them', async () => {
  const m = mps('mas76');
  const recs: IterationRecord[] = [];
  await withSolver(new InlineSubSolver(m), async (solver) => {
    const out = await solveMip({ model: m, method: 'balans', timeLimit: 30, seed: 1, solver, config: { maxIterations: 1 }, onIteration: (r) => recs.push(r) });
    // HiGHS finds several improving solutions of mas76 in its first solve (0.03 s: 142786, ...); each one
    // is in the trace, strictly improving, and all of them before the first LNS iteration ended.
    const initialEntries = out.trace.filter(([t]) => recs.length === 0 || t < recs[0].t - recs[0].subSeconds + 1e-9);
    assert.ok(initialEntries.length >= 2, JSON.stringify(out.trace));
    for (let i = 1; i < out.trace.length; i++) assert.ok(out.trace[i][1] < out.trace[i - 1][1]);
    for (let i = 1; i < out.trace.length; i++) assert.ok(out.trace[i][0] >= out.trace[i - 1][0]);
    assert.equal(out.check!.feasible, true);
    assert.ok(Math.abs(out.trace.at(-1)![1] - out.objective!) < 1e-6);
  });
});
