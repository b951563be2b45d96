import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import job, { GridOptions } from '../../main/grid/job.ts';
import type { GridResult } from '../../contract/grid.ts';

test('learning agent (tiny training): every output radial and connected, small gap on unseen scenarios', async () => {
  const file = new URL('../../resources/grid/case33bw.m', import.meta.url).pathname;
  const r: GridResult = await job.run({
    jobId: 't',
    kind: 'grid',
    options: GridOptions.parse({ file, agent: 'rl', trainScenarios: 60, testScenarios: 12, epochs: 40, pareto: false, seed: 2 }),
    runDir: mkdtempSync(join(tmpdir(), 'grid-rl-')),
    signal: new AbortController().signal,
    journal: { append: () => {}, previous: [] },
    progress: () => {},
    log: () => {},
  });
  assert.equal(r.agent, 'rl');
  assert.ok(r.backend);
  assert.equal(r.scenarios!.length, 12);
  for (const s of r.scenarios!) {
    assert.equal(s.invalidEdges + s.cycles + s.subgraphs, 0);
    assert.ok(s.gapPct >= -1e-9 && s.gapPct < 5, `gap ${s.gapPct}`);
    assert.ok(s.minVoltagePu > 0.85);
  }
  const mean = r.scenarios!.reduce((a, s) => a + s.gapPct, 0) / r.scenarios!.length;
  assert.ok(mean < 1, `mean gap ${mean} %`);
  // on the case's own loads the policy (plus a few power flows) reaches the proven optimum
  assert.ok(Math.abs(r.lossKw - 139.55) < 0.5, `${r.lossKw}`);
  assert.equal(r.openBranches.length, 5);
});
