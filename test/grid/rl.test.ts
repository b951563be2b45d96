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

test('policy: frozen plain-array forward pass equals the TensorFlow.js model', async () => {
  const { GridPolicy } = await import('../../main/grid/rl.ts');
  const { loadTf } = await import('../../main/learning/backend.ts');
  const { tf } = await loadTf();
  const p = new GridPolicy(tf, 5, 4, 7, 16);
  await p.fit([Float32Array.from([0.1, -0.2, 0.3, 0, 0.5])], [Float32Array.from([1, 0, 0, 1])], 3);
  const sc = { factor: Float64Array.from([1.2, 0.7, 1.1, 1.4, 0.9]) };
  const a = p.tfLogits(sc);
  p.freeze();
  const b = p.logits(sc);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-5, `${a[j]} vs ${b[j]}`);
  p.dispose();
});
