/**
 * Agents on the three-stage TIA of L2DC: seeds x {ddpg, random, cmaes}, one 2000-simulation run per
 * (agent, seed); the 500 and 1000 figures are read off the same runs' traces (the best found within
 * the first 500 / 1000 simulations), which is what a run with that budget would have seen except for
 * budget-dependent schedules (DDPG's warm-up cap and noise decay are set by the run's budget: 2000).
 *
 * Reports per budget: seeds reaching feasibility, median simulations to first feasible, seeds whose
 * best design dominates the human expert's (lower power and lower area, constraints met), best power
 * and area. Also the TensorFlow.js backend and the agent's own compute time (ask + tell).
 *
 *   node --no-liftoff --import tsx bench/circuit-agents.ts [--seeds 5] [--budget 2000]
 *        [--agents ddpg,random,cmaes] [--workers N] [--jsonl FILE] [--tf-micro]
 *
 * Runs are appended to a JSONL file (default $TMPDIR/optiloop-circuit-agents.jsonl) as they finish and
 * skipped when already there, so an interrupted bench resumes. `--tf-micro` times DDPG's training on
 * the analytic problem with the cpu and the wasm backend (child processes, OPTILOOP_TF_BACKEND).
 */
import { readFileSync, existsSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir, availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAnyProblem } from '../simulators/circuit/problem.ts';
import { CircuitEvaluator } from '../main/circuit/evaluator.ts';
import { createAgent, AGENTS, type AgentName } from '../main/circuit/agents/index.ts';
import { runOptimisation } from '../main/circuit/agents/driver.ts';
import { referenceParams, rewardSpecOf, sizingVariables, withReferenceConstraints } from '../main/circuit/agents/task.ts';
import type { SizingAgent } from '../main/circuit/agents/types.ts';
import { backendReport } from '../main/learning/backend.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    /** Explicit seeds, e.g. 2,4 (instead of 1..seeds). */
    'seed-list': { type: 'string' },
    budget: { type: 'string', default: '2000' },
    agents: { type: 'string', default: AGENTS.join(',') },
    workers: { type: 'string', default: String(availableParallelism()) },
    jsonl: { type: 'string', default: join(tmpdir(), 'optiloop-circuit-agents.jsonl') },
    'tf-micro': { type: 'boolean', default: false },
    'beat-reference': { type: 'boolean', default: false },
    /** JSON overrides of the agents' defaults, e.g. '{"selfImitation":0}' (a variant is a separate run key). */
    config: { type: 'string' },
    tag: { type: 'string', default: '' },
    'micro-child': { type: 'string' },
  },
});

/* ------------------------------------------------ tfjs cpu vs wasm on DDPG's own work ---------- */
if (args['micro-child']) {
  const { analyticTask } = await import('../test/circuit/analytic.fixture.ts');
  const task = analyticTask();
  const agent = await createAgent('ddpg', { dims: 6, budget: 300, seed: 1 });
  const t0 = performance.now();
  const st = await runOptimisation(task, agent, { budget: 300, batchSize: 2 });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ backend: agent.backend, ms, updates: agent.stats()['charts/updates'], best: st.best?.score }));
  process.exit(0);
}
if (args['tf-micro']) {
  console.log('## DDPG training cost by TensorFlow.js backend (analytic problem, 300 designs, 4 updates per design)');
  console.log('| backend | seconds | ms per update (actor + critic, batch 64) | best score |');
  console.log('|---|---|---|---|');
  for (const b of ['cpu', 'wasm']) {
    const r = spawnSync(process.execPath, ['--no-liftoff', '--import', 'tsx', fileURLToPath(import.meta.url), '--micro-child', b], {
      cwd: root,
      env: { ...process.env, OPTILOOP_TF_BACKEND: b },
      encoding: 'utf8',
    });
    const line = r.stdout.trim().split('\n').pop() ?? '{}';
    const m = JSON.parse(line) as { backend: string; ms: number; updates: number; best: number };
    console.log(`| ${m.backend} | ${(m.ms / 1000).toFixed(1)} | ${(m.ms / m.updates).toFixed(2)} | ${m.best.toFixed(3)} |`);
  }
  process.exit(0);
}

/* ------------------------------------------------ the TIA runs --------------------------------- */
const HUMAN = { power: 1.3694e-3, area: 211.2e-12 };
const budget = Number(args.budget);
const CHECKPOINTS = [...new Set([500, 1000, 2000].filter((c) => c < budget).concat([budget]))];
const seeds = args['seed-list'] ? args['seed-list'].split(',').map(Number) : Array.from({ length: Number(args.seeds) }, (_, i) => i + 1);
const agents = args.agents.split(',') as AgentName[];
const workers = Number(args.workers);

interface Checkpoint {
  budget: number;
  feasible: boolean;
  bestScore: number | null;
  bestPower: number | null;
  bestArea: number | null;
  /** Any feasible design so far with power and area both below the human's. */
  dominates: boolean;
  minPower: number | null;
  minArea: number | null;
}
interface RunRow {
  agent: string;
  /** '' for the defaults; 'beat' (--beat-reference) and/or --tag. */
  variant?: string;
  config?: Record<string, unknown>;
  seed: number;
  budget: number;
  backend: string;
  workers: number;
  simulations: number;
  failures: number;
  firstFeasibleAt: number | null;
  firstDominatingAt: number | null;
  seconds: number;
  agentSeconds: number;
  checkpoints: Checkpoint[];
  best: { params: Record<string, number>; metrics: Record<string, number> } | null;
  /** Failure messages and their counts. */
  errors?: Record<string, number>;
}

const file = join(root, 'resources/circuits/three-stage-tia/problem.yaml');
const problem = parseAnyProblem(readFileSync(file, 'utf8'), 'problem.yaml', (r) => readFileSync(join(dirname(file), r), 'utf8'));
const done = new Map<string, RunRow>();
if (existsSync(args.jsonl)) {
  for (const line of readFileSync(args.jsonl, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as RunRow;
    done.set(`${r.agent}${r.variant ? `[${r.variant}]` : ''}/${r.seed}/${r.budget}`, r);
  }
}

let evaluator = await CircuitEvaluator.create(problem, { workers });
const refParams = referenceParams(problem);
const [refEval] = refParams ? await evaluator.evaluate([refParams]) : [null];
const baseSpec = rewardSpecOf(problem, refEval?.metrics ?? null, true).spec;
const beat = args['beat-reference'];
if (beat && !refEval?.ok) throw new Error('--beat-reference: the reference design did not simulate');
const spec = beat && refEval ? withReferenceConstraints(baseSpec, refEval.metrics) : baseSpec;
const agentConfig = args.config ? (JSON.parse(args.config) as Record<string, unknown>) : undefined;
/** Runs of a variant (beat-reference, config overrides) are stored under their own key. */
const variant = [beat ? 'beat' : '', args.tag].filter(Boolean).join('+');
const runKey = (name: string, seed: number): string => `${name}${variant ? `[${variant}]` : ''}/${seed}/${budget}`;
console.error(`human reference simulated: ${JSON.stringify(refEval?.metrics)}`);

function timed(agent: SizingAgent, acc: { ms: number }): SizingAgent {
  return {
    name: agent.name,
    backend: agent.backend,
    ask: async (n) => {
      const t = performance.now();
      const r = await agent.ask(n);
      acc.ms += performance.now() - t;
      return r;
    },
    tell: async (u, s) => {
      const t = performance.now();
      await agent.tell(u, s);
      acc.ms += performance.now() - t;
    },
    stats: () => agent.stats(),
    dispose: () => agent.dispose(),
  };
}

for (const seed of seeds) {
  for (const name of agents) {
    const key = runKey(name, seed);
    if (done.has(key)) continue;
    // A fresh engine pool per run: no run inherits another's engine state.
    await evaluator.close();
    evaluator = await CircuitEvaluator.create(problem, { workers });
    const errors = new Map<string, number>();
    const acc = { ms: 0 };
    const raw = await createAgent(name, { dims: problem.variables.length, budget, seed, config: agentConfig });
    const agent = timed(raw, acc);
    const feas: { evaluation: number; power: number; area: number; score: number }[] = [];
    const t0 = performance.now();
    const task = { name: problem.name, variables: sizingVariables(problem), reward: spec, evaluate: (b: Record<string, number>[], s?: AbortSignal) => evaluator.evaluate(b, s) };
    const st = await runOptimisation(task, agent, {
      budget,
      batchSize: workers,
      onBatch: (recs, s) => {
        for (const r of recs) {
          if (r.feasible) feas.push({ evaluation: r.evaluation, power: r.metrics.power, area: r.metrics.area, score: r.score });
          if (!r.ok) {
            const msg = (r.error ?? 'missing metric').slice(0, 200);
            if (!errors.has(msg)) console.error(`${key}: simulation ${r.evaluation} failed: ${msg}`);
            errors.set(msg, (errors.get(msg) ?? 0) + 1);
          }
        }
        if (s.simulations % 200 < workers) console.error(`${key}: ${s.simulations} sims, best ${s.best?.score.toFixed(3)}, first feasible ${s.firstFeasibleAt}`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    raw.dispose();
    const checkpoints = CHECKPOINTS.map((c): Checkpoint => {
      const f = feas.filter((x) => x.evaluation <= c);
      const best = f.reduce<(typeof f)[number] | null>((a, x) => (a === null || x.score > a.score ? x : a), null);
      return {
        budget: c,
        feasible: f.length > 0,
        bestScore: best?.score ?? null,
        bestPower: best?.power ?? null,
        bestArea: best?.area ?? null,
        dominates: f.some((x) => x.power < HUMAN.power && x.area < HUMAN.area),
        minPower: f.length ? Math.min(...f.map((x) => x.power)) : null,
        minArea: f.length ? Math.min(...f.map((x) => x.area)) : null,
      };
    });
    const dom = feas.find((x) => x.power < HUMAN.power && x.area < HUMAN.area);
    const row: RunRow = {
      agent: name,
      variant,
      config: agentConfig,
      seed,
      budget,
      backend: raw.backend === 'none' ? 'none' : (backendReport()?.summary ?? raw.backend),
      workers,
      simulations: st.simulations,
      failures: st.failures,
      firstFeasibleAt: st.firstFeasibleAt,
      firstDominatingAt: dom?.evaluation ?? null,
      seconds,
      agentSeconds: acc.ms / 1000,
      checkpoints,
      best: st.best ? { params: st.best.params, metrics: st.best.metrics } : null,
      errors: Object.fromEntries(errors),
    };
    appendFileSync(args.jsonl, JSON.stringify(row) + '\n');
    done.set(key, row);
    console.error(`${key}: done in ${seconds.toFixed(0)} s: first feasible ${st.firstFeasibleAt}, dominates human at ${row.firstDominatingAt}, best ${JSON.stringify(checkpoints.at(-1))}`);
  }
}
await evaluator.close();

/* ------------------------------------------------ the table ------------------------------------ */
const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number | null, k: number, d = 3) => (x === null ? '-' : (x * k).toFixed(d));
console.log(`## Agents on the three-stage TIA (L2DC): ${seeds.length} seeds, ${workers} workers`);
console.log('');
console.log(`Human expert: power ${HUMAN.power * 1e3} mW, area ${HUMAN.area * 1e12} um^2; simulated here: ${fmt(refEval?.metrics.power ?? null, 1e3, 4)} mW, gain ${fmt(refEval?.metrics.gain ?? null, 1, 1)} Ohm, bandwidth ${fmt(refEval?.metrics.bandwidth ?? null, 1e-6, 2)} MHz.`);
console.log('');
console.log('| agent | budget | seeds feasible | median sims to first feasible | seeds dominating human | median best-score power (mW) | median best-score area (um^2) | lowest power (mW) | lowest area (um^2) | median run s | median agent s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of CHECKPOINTS) {
  for (const name of agents) {
    const rows = seeds.map((s) => done.get(runKey(name, s))).filter((r): r is RunRow => r !== undefined);
    const cps = rows.map((r) => r.checkpoints.find((x) => x.budget === c)).filter((x): x is Checkpoint => x !== undefined);
    const ff = rows.map((r) => (r.firstFeasibleAt !== null && r.firstFeasibleAt <= c ? r.firstFeasibleAt : null));
    const ffs = ff.filter((x): x is number => x !== null);
    const ffMedian = ffs.length > rows.length / 2 ? median(ff.map((x) => x ?? Infinity)) : null;
    console.log(
      `| ${name} | ${c} | ${cps.filter((x) => x.feasible).length}/${rows.length} | ${ffMedian === null ? `> ${c}` : ffMedian} | ${cps.filter((x) => x.dominates).length}/${rows.length} | ${fmt(median(cps.flatMap((x) => (x.bestPower === null ? [] : [x.bestPower]))), 1e3)} | ${fmt(median(cps.flatMap((x) => (x.bestArea === null ? [] : [x.bestArea]))), 1e12, 1)} | ${fmt(cps.reduce<number | null>((a, x) => (x.minPower === null ? a : a === null ? x.minPower : Math.min(a, x.minPower)), null), 1e3)} | ${fmt(cps.reduce<number | null>((a, x) => (x.minArea === null ? a : a === null ? x.minArea : Math.min(a, x.minArea)), null), 1e12, 1)} | ${c === budget ? fmt(median(rows.map((r) => r.seconds)), 1, 0) : ''} | ${c === budget ? fmt(median(rows.map((r) => r.agentSeconds)), 1, 1) : ''} |`,
    );
  }
}
console.log('');
console.log('Per run (budget ' + budget + '): agent/seed: first feasible, first dominating the human, best power mW / area um^2');
for (const name of agents)
  for (const s of seeds) {
    const r = done.get(runKey(name, s));
    if (!r) continue;
    const last = r.checkpoints.at(-1)!;
    console.log(`- ${name}/${s}: ${r.firstFeasibleAt ?? '-'}, ${r.firstDominatingAt ?? '-'}, ${fmt(last.bestPower, 1e3)} / ${fmt(last.bestArea, 1e12, 1)} (${r.failures} failed sims, backend ${r.backend})`);
  }
