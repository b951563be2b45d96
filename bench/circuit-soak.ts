/**
 * Soak test of one circuit evaluator: N random designs of a problem through a single engine pool (no
 * restart between runs), reporting failures, recycles and the process's resident memory as it goes.
 * Written to look for the one failure streak seen after ~3,600 runs of a shared pool
 * (docs/benchmarks.md, "Circuit agents").
 *
 *   node --no-liftoff --import tsx bench/circuit-soak.ts [--runs 8000] [--workers 2] [--seed 1]
 *        [--problem resources/circuits/three-stage-tia/problem.yaml]
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAnyProblem } from '../simulators/circuit/problem.ts';
import { CircuitEvaluator } from '../main/circuit/evaluator.ts';
import { Rng } from '../simulators/rng.ts';
import { fromUnit } from '../main/circuit/agents/types.ts';
import { sizingVariables } from '../main/circuit/agents/task.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '8000' },
    workers: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    problem: { type: 'string', default: 'resources/circuits/three-stage-tia/problem.yaml' },
  },
});
const file = args.problem;
const problem = parseAnyProblem(readFileSync(file, 'utf8'), file, (r) => readFileSync(`${dirname(file)}/${r}`, 'utf8'));
const workers = Number(args.workers);
const runs = Number(args.runs);
const vars = sizingVariables(problem);
const ev = await CircuitEvaluator.create(problem, { workers });
const rng = new Rng(Number(args.seed));
let failed = 0;
let peakRss = 0;
const t0 = performance.now();
console.log('| runs | seconds | failed | recycled | replaced | RSS MB | largest wasm heap MB |');
console.log('|---|---|---|---|---|---|---|');
for (let i = 0; i < runs; i += workers) {
  const batch = Array.from({ length: Math.min(workers, runs - i) }, () => Object.fromEntries(vars.map((v) => [v.name, fromUnit(v, rng.next())])));
  const out = await ev.evaluate(batch);
  out.forEach((e, k) => {
    if (e.ok) return;
    failed++;
    if (failed <= 10) console.error(`run ${i + k}: failed (${e.via}): ${e.error?.slice(0, 300)}`);
  });
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  const n = i + batch.length;
  if (n % 1000 < workers || n === runs) {
    const s = ev.stats;
    console.log(`| ${n} | ${((performance.now() - t0) / 1000).toFixed(0)} | ${failed} | ${s.recycled} | ${s.replaced} | ${(rss / 1e6).toFixed(0)} | ${(s.maxWasmBytes / 1e6).toFixed(0)} |`);
  }
}
console.log(`\npeak RSS ${(peakRss / 1e6).toFixed(0)} MB; ${failed} of ${runs} runs failed`);
await ev.close();
