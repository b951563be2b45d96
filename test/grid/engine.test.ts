import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCase, baseClosed, closedFromOpenRows, openRows, zBaseOhm } from '../../simulators/grid/network.ts';
import { RadialSolver, newton } from '../../simulators/grid/powerflow.ts';
import { Topology } from '../../simulators/grid/topology.ts';
import { Evaluator } from '../../simulators/grid/evaluate.ts';
import { exactSearch } from '../../simulators/grid/exact.ts';
import { localSearch } from '../../simulators/grid/search.ts';
import { Rng } from '../../simulators/rng.ts';

const load = (name: string) => parseCase(readFileSync(new URL(`../../resources/grid/${name}.m`, import.meta.url), 'utf8'), `${name}.m`);

test('reader applies the kW -> MW and Ohm -> p.u. conversion code of case33bw', () => {
  const c = load('case33bw');
  assert.equal(c.buses.length, 33);
  assert.equal(c.branches.length, 37);
  assert.equal(c.baseMva, 10);
  // bus 2 load 100 kW / 60 kVAr -> 0.1 MW -> 0.01 p.u. on 10 MVA
  assert.ok(Math.abs(c.buses[1].pLoadPu - 0.01) < 1e-15);
  assert.ok(Math.abs(c.buses[1].qLoadPu - 0.006) < 1e-15);
  // branch 1: 0.0922 Ohm on Zbase = 12.66^2 / 10 Ohm
  const zb = zBaseOhm(c);
  assert.ok(Math.abs(zb - 16.02756) < 1e-9);
  assert.ok(Math.abs(c.branches[0].rPu * zb - 0.0922) < 1e-12);
  assert.deepEqual(openRows(c, baseClosed(c)), [33, 34, 35, 36, 37]);
  assert.equal(c.branches[0].line, 66);
});

test('case33bw reference: base 202.68 kW, 0.9131 p.u. at bus 18; optimum 139.55 kW, 0.9378 p.u.', () => {
  const c = load('case33bw');
  const s = new RadialSolver(c);
  const r = s.solve(baseClosed(c));
  assert.ok(r.ok);
  assert.equal(r.method, 'sweep');
  assert.ok(Math.abs(r.lossKw - 202.68) < 0.05, `base loss ${r.lossKw}`);
  assert.ok(Math.abs(r.minVPu - 0.9131) < 1e-4, `min V ${r.minVPu}`);
  assert.equal(c.buses[r.minVBus].id, 18);
  const o = s.solve(closedFromOpenRows(c, [7, 9, 14, 32, 37]));
  assert.ok(o.ok);
  assert.ok(Math.abs(o.lossKw - 139.55) < 0.05, `opt loss ${o.lossKw}`);
  assert.ok(Math.abs(o.minVPu - 0.9378) < 1e-4);
});

test('sweep and Newton agree to 1e-7 p.u. on all five feeders; Newton solves a meshed network', () => {
  for (const name of ['case33bw', 'case69_ties', 'case84tpc', 'case118zh', 'case136ma']) {
    const c = load(name);
    const s = new RadialSolver(c).solve(baseClosed(c));
    const n = newton(c, baseClosed(c));
    assert.ok(s.ok && n.ok, name);
    for (let i = 0; i < c.buses.length; i++) assert.ok(Math.abs(s.vmPu[i] - n.vmPu[i]) < 1e-7, `${name} bus ${i}`);
    assert.ok(Math.abs(s.lossKw - n.lossKw) < 1e-4, name);
  }
  // all switches closed: meshed, solved by Newton, loss below the radial optimum
  const c = load('case33bw');
  const mesh = new RadialSolver(c).solve(new Uint8Array(37).fill(1));
  assert.ok(mesh.ok);
  assert.equal(mesh.method, 'newton');
  assert.ok(mesh.lossKw < 139.55 && mesh.lossKw > 100, `meshed loss ${mesh.lossKw}`);
});

test('heavy load has no power-flow solution and is reported as such', () => {
  const c = load('case33bw');
  const p = Float64Array.from(c.pNetPu, (x) => x * 8);
  const q = Float64Array.from(c.qNetPu, (x) => x * 8);
  const r = new RadialSolver(c).solve(baseClosed(c), { pNetPu: p, qNetPu: q });
  assert.equal(r.ok, false);
  const ev = new Evaluator(c, { pNetPu: p, qNetPu: q });
  const s = ev.score(baseClosed(c));
  assert.equal(s.solved, false);
  assert.equal(s.lossKw, Infinity);
});

test('topology: loops, switches, radiality checks and decoding always give radial networks', () => {
  const c = load('case33bw');
  const t = new Topology(c);
  assert.equal(t.loops, 5);
  assert.equal(t.nSwitches, 36); // every branch except 1-2 (the only bridge)
  assert.deepEqual(t.check(baseClosed(c)), { radial: true, connected: true, invalidEdges: 0, cycles: 0, subgraphs: 0 });
  const all = new Uint8Array(37).fill(1);
  assert.equal(t.check(all).cycles, 5);
  const two = closedFromOpenRows(c, [1, 33, 34, 35, 36, 37, 5]);
  assert.equal(t.check(two).subgraphs, 2);
  assert.equal(t.fundamentalLoops(baseClosed(c)).length, 5);
  const rng = new Rng(3);
  for (let k = 0; k < 200; k++) {
    const pr = Array.from({ length: 37 }, () => rng.normal());
    const cl = t.decode(pr);
    assert.ok(t.isRadialConnected(cl));
  }
});

test('exact agent proves the case33bw optimum {7, 9, 14, 32, 37}', () => {
  const c = load('case33bw');
  const ev = new Evaluator(c);
  const r = exactSearch(ev, { incumbent: baseClosed(c) });
  assert.ok(r.proven);
  assert.deepEqual(openRows(c, r.closed!), [7, 9, 14, 32, 37]);
  assert.ok(Math.abs(r.score!.lossKw - 139.55) < 0.05);
  assert.ok(r.rootBoundKw < 139.55);
});

test('exact agent proves the 69-bus optimum (98.60 kW) and local search reaches it', () => {
  const c = load('case69_ties');
  const ev = new Evaluator(c);
  const r = exactSearch(ev, { incumbent: baseClosed(c) });
  assert.ok(r.proven);
  assert.ok(Math.abs(r.score!.lossKw - 98.6046) < 0.01, `${r.score!.lossKw}`);
  assert.ok(Math.abs(r.score!.minVPu - 0.9495) < 1e-4);
  const ls = localSearch(new Evaluator(c), new Rng(1), { start: baseClosed(c), maxRestarts: 20 });
  assert.ok(Math.abs(ls.score!.lossKw - r.score!.lossKw) < 1e-6);
});

test('exchange-limited exact search: one exchange on case33bw is worse than the free optimum', () => {
  const c = load('case33bw');
  const base = baseClosed(c);
  const r0 = exactSearch(new Evaluator(c), { base, maxExchanges: 0, incumbent: base });
  assert.ok(Math.abs(r0.score!.lossKw - 202.677) < 0.01);
  const r1 = exactSearch(new Evaluator(c), { base, maxExchanges: 1, incumbent: base });
  assert.ok(r1.proven);
  let changed = 0;
  for (let k = 0; k < 37; k++) if (r1.closed![k] !== base[k]) changed++;
  assert.equal(changed, 2);
  assert.ok(r1.score!.lossKw < 202.68 && r1.score!.lossKw > 139.56, `${r1.score!.lossKw}`);
});

test('several sources: a tie between two substations is radial only when one branch on the path is open', () => {
  const text = `function mpc = twosrc
mpc.version = '2';
mpc.baseMVA = 10;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 12.66 1 1 1;
  2 1 400 200 0 0 1 1 0 12.66 1 1.1 0.9;
  3 1 300 100 0 0 1 1 0 12.66 1 1.1 0.9;
  4 1 500 250 0 0 1 1 0 12.66 1 1.1 0.9;
  5 3 0 0 0 0 1 1 0 12.66 1 1 1;
];
mpc.gen = [
  1 0 0 10 -10 1 100 1 10 0;
  5 0 0 10 -10 1 100 1 10 0;
];
mpc.branch = [
  1 2 0.5 0.3 0 0 0 0 0 0 1 -360 360;
  2 3 0.5 0.3 0 0 0 0 0 0 1 -360 360;
  3 4 0.5 0.3 0 0 0 0 0 0 1 -360 360;
  4 5 0.5 0.3 0 0 0 0 0 0 0 -360 360;
];
Vbase = mpc.bus(1, 10) * 1e3;
Sbase = mpc.baseMVA * 1e6;
mpc.branch(:, [3 4]) = mpc.branch(:, [3 4]) / (Vbase^2 / Sbase);
mpc.bus(:, [3, 4]) = mpc.bus(:, [3, 4]) / 1e3;
`;
  const c = parseCase(text, 'twosrc.m');
  assert.deepEqual(c.sources, [0, 4]);
  const t = new Topology(c);
  assert.equal(t.loops, 1);
  assert.ok(t.isRadialConnected(baseClosed(c)));
  assert.equal(t.check(new Uint8Array(4).fill(1)).cycles, 1);
  // each radial option agrees between sweep and Newton
  for (const open of [1, 2, 3, 4]) {
    const cl = closedFromOpenRows(c, [open]);
    const s = new RadialSolver(c).solve(cl);
    const n = newton(c, cl);
    assert.ok(s.ok && n.ok);
    assert.equal(s.method, 'sweep');
    assert.ok(Math.abs(s.lossKw - n.lossKw) < 1e-6);
  }
  // exact: bus 4 (largest load) fed from source 5, bus 2 from source 1: open branch 2 or 3
  const r = exactSearch(new Evaluator(c), {});
  assert.ok(r.proven);
  let bestLoss = Infinity;
  for (const open of [1, 2, 3, 4]) {
    const s = new RadialSolver(c).solve(closedFromOpenRows(c, [open]));
    if (s.ok) bestLoss = Math.min(bestLoss, s.lossKw);
  }
  assert.ok(Math.abs(r.score!.lossKw - bestLoss) < 1e-9);
  assert.ok([2, 3].includes(openRows(c, r.closed!)[0]));
});
