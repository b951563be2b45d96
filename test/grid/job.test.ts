import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import job, { GridOptions } from '../../main/grid/job.ts';
import type { GridResult } from '../../contract/grid.ts';
import { parseCase } from '../../simulators/grid/network.ts';
import { RadialSolver } from '../../simulators/grid/powerflow.ts';
import { baseClosed } from '../../simulators/grid/network.ts';
import { gridService } from '../../main/grid/service.ts';
import type { GridInspection } from '../../contract/grid.ts';

const res = (name: string) => new URL(`../../resources/grid/${name}`, import.meta.url).pathname;

export async function runJob(options: Record<string, unknown>, abort?: AbortController, previous: Record<string, unknown>[] = []): Promise<{ result: GridResult; journal: Record<string, unknown>[]; progress: unknown[] }> {
  const runDir = mkdtempSync(join(tmpdir(), 'grid-job-'));
  const journal: Record<string, unknown>[] = [];
  const progress: unknown[] = [];
  const ctrl = abort ?? new AbortController();
  const result = await job.run({
    jobId: 't',
    kind: 'grid',
    options: GridOptions.parse(options),
    runDir,
    signal: ctrl.signal,
    journal: { append: (r) => journal.push(r), previous },
    progress: (p) => progress.push(p),
    log: () => {},
  });
  return { result, journal, progress };
}

test('job: exhaustive agent on case33bw returns the contract fields, proof and exports', async () => {
  const { result: r, journal } = await runJob({ file: res('case33bw.m'), timeLimit: 30, paretoTimeLimit: 20 });
  for (const k of ['kind', 'case', 'agent', 'seed', 'openBranches', 'lossKw', 'baseLossKw', 'minVoltagePu', 'powerFlows', 'seconds']) assert.ok(k in r, k);
  assert.equal(r.kind, 'grid');
  assert.deepEqual(r.openBranches, [7, 9, 14, 32, 37]);
  assert.ok(Math.abs(r.lossKw - 139.55) < 0.05);
  assert.ok(Math.abs(r.baseLossKw - 202.68) < 0.05);
  assert.ok(Math.abs(r.minVoltagePu - 0.9378) < 1e-4);
  assert.equal(r.proofStatus, 'proven');
  assert.equal(r.switchingOps, 8);
  assert.ok(journal.some((j) => j.type === 'incumbent'));
  // Pareto: loss falls with more switching operations and ends at the optimum
  assert.equal(r.pareto[0].switchingOps, 0);
  for (let i = 1; i < r.pareto.length; i++) assert.ok(r.pareto[i].lossKw < r.pareto[i - 1].lossKw && r.pareto[i].switchingOps > r.pareto[i - 1].switchingOps);
  assert.ok(Math.abs(r.pareto[r.pareto.length - 1].lossKw - 139.55) < 0.05);
  // exports: the updated case reads back with the new status and the same loss
  const caseFile = r.exports.find((f) => f.endsWith('_reconfigured.m'))!;
  const c2 = parseCase(readFileSync(caseFile, 'utf8'), caseFile);
  const pf = new RadialSolver(c2).solve(baseClosed(c2));
  assert.ok(pf.ok && Math.abs(pf.lossKw - r.lossKw) < 1e-6);
  const csv = readFileSync(r.exports.find((f) => f.endsWith('.csv'))!, 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 8);
  const plan = JSON.parse(readFileSync(r.exports.find((f) => f.endsWith('_plan.json'))!, 'utf8'));
  assert.deepEqual(plan.openBranches, [7, 9, 14, 32, 37]);
});

test('service: inspection gives one-line diagram data and base figures', () => {
  const text = readFileSync(res('case33bw.m'), 'utf8');
  const ins = gridService.inspect('case33bw.m', text) as { details: GridInspection; facts: Record<string, unknown> };
  const d = ins.details;
  assert.equal(d.buses.length, 33);
  assert.equal(d.branches.length, 37);
  assert.equal(d.loops, 5);
  assert.ok(Math.abs(d.baseLossKw! - 202.68) < 0.05);
  assert.equal(d.baseMinVoltageBus, 18);
  assert.equal(d.buses[0].depth, 0);
  assert.equal(d.buses[17].depth, 17); // bus 18 is 17 hops down the main feeder
  assert.equal(d.branches.filter((b) => b.status === 0).length, 5);
  assert.ok(d.branches[0].pFlowKw! > 3715); // feeder head carries all load plus losses
  assert.ok(gridService.examples().length === 5);
});

test('bad input: no switches -> base returned with a clear message', async () => {
  const text = readFileSync(res('case33bw.m'), 'utf8');
  // drop the five tie lines (rows 33-37)
  const lines = text.split('\n').filter((l) => !/^\s*(21\s+8|9\s+15|12\s+22|18\s+33|25\s+29)\s/.test(l));
  const dir = mkdtempSync(join(tmpdir(), 'grid-bad-'));
  const f = join(dir, 'noswitch.m');
  writeFileSync(f, lines.join('\n'));
  const { result: r } = await runJob({ file: f, timeLimit: 5 });
  assert.match(r.message!, /no switches/);
  assert.deepEqual(r.openBranches, []);
  assert.ok(Math.abs(r.lossKw - 202.68) < 0.05);
});

test('bad input: islanded base case -> message, and a connected radial configuration is returned', async () => {
  const text = readFileSync(res('case33bw.m'), 'utf8');
  // open branch 2-3 in the file as well: buses 3.. lose supply except through ties (all open)
  const lines = text.split('\n').map((l) => (/^\s*2\s+3\s+0\.4930/.test(l) ? l.replace(/\t1\t-360/, '\t0\t-360') : l));
  const dir = mkdtempSync(join(tmpdir(), 'grid-bad-'));
  const f = join(dir, 'islanded.m');
  writeFileSync(f, lines.join('\n'));
  const { result: r } = await runJob({ file: f, timeLimit: 10, pareto: false });
  assert.match(r.message!, /islanded base case/);
  assert.equal(r.baseLossKw, null);
  assert.equal(r.openBranches.length, 5);
  assert.ok(Math.abs(r.lossKw - 139.55) < 0.05); // the optimum does not need branch 2-3 open
});

test('bad input: a voltage limit no configuration meets -> least-violating configuration with a message', async () => {
  const { result: r } = await runJob({ file: res('case33bw.m'), timeLimit: 20, vMinPu: 0.97, pareto: false });
  assert.equal(r.feasible, false);
  assert.match(r.message!, /no configuration found meets the voltage limits/);
  assert.equal(r.proofStatus, 'proven-infeasible');
  assert.equal(r.openBranches.length, 5);
  assert.ok(r.minVoltagePu > 0.9378 - 1e-4 && r.minVoltagePu < 0.97);
});

test('job: local search agent and cancel keep the best so far', async () => {
  const { result: r } = await runJob({ file: res('case69_ties.m'), agent: 'local', timeLimit: 3, pareto: false, seed: 4 });
  assert.ok(Math.abs(r.lossKw - 98.6046) < 0.01, `${r.lossKw}`);
  const ctrl = new AbortController();
  ctrl.abort();
  const { result: c } = await runJob({ file: res('case136ma.m'), agent: 'exhaustive', timeLimit: 60 }, ctrl);
  assert.ok(c.lossKw <= c.baseLossKw);
  assert.equal(c.proofStatus, 'cancelled');
});

test('job: resume starts from the last journalled incumbent', async () => {
  const previous = [{ type: 'incumbent', openBranches: [7, 9, 14, 32, 37], lossKw: 139.55 }];
  const { result: r } = await runJob({ file: res('case33bw.m'), agent: 'local', timeLimit: 0, pareto: false }, undefined, previous);
  assert.deepEqual(r.openBranches, [7, 9, 14, 32, 37]);
});
