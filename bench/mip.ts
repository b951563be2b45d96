/**
 * `npm run bench:mip [-- options]`: plain HiGHS against Balans at equal wall-clock, Balans restricted
 * to each single operator family, and the wasm / native HiGHS speed ratio.
 *
 * Options (defaults in brackets):
 *   --time SEC               seconds per run [15]
 *   --seeds 1,2              seeds for the HiGHS vs Balans comparison [1,2]
 *   --instances a,b          instance names (see `--list`) [all]
 *   --single-instances a,b   instances for the single-operator runs [a mixed set of 6]
 *   --single-seeds 1         seeds for the single-operator runs [1]
 *   --skip-single --skip-compare --skip-native
 *   --out FILE               results JSON [$TMPDIR/optiloop-bench-mip.json]
 *   --list                   print the instance names and exit
 *
 * Instances: the MIPLIB 2017 subset and the Balans distributional instances of ../shared/data/mip
 * (optima / best known values from its SOURCES.md), and four families generated here with a seeded
 * Rng (set cover, combinatorial auction, maximum independent set, multi-dimensional knapsack), whose
 * reference is the best value any run of this benchmark found.
 * Measures: primal gap (Berthold) at the end, primal integral divided by the time limit (the mean
 * primal gap over the run, 0 = optimal at once, 1 = nothing found), Balans' arm statistics.
 * HiGHS runs in this thread (InlineSubSolver) for every method, warmed up before the clocks start.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Rng } from '../simulators/rng.ts';
import { ModelBuilder, type MipModel, modelCounts } from '../simulators/mip/model.ts';
import { writeMps } from '../simulators/mip/mps.ts';
import { primalGap, primalIntegral, solveMip, type BalansConfig } from '../main/mip/balans.ts';
import { InlineSubSolver, inlineRuntime } from '../main/mip/solver.ts';
import { readInstance } from '../main/mip/io.ts';
import type { MipArmStats } from '../contract/mip.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, '..', 'shared', 'data', 'mip');

// ---- instances --------------------------------------------------------------------------------------
interface Instance {
  name: string;
  group: 'miplib' | 'distributional' | 'generated';
  load: () => MipModel;
  /** Optimum or best known value (null: best found in this benchmark). */
  reference: number | null;
}

const MIPLIB: [string, number][] = [
  ['markshare_4_0', 1],
  ['gen-ip054', 6840.96564179],
  ['pk1', 11],
  ['neos5', 15],
  ['mas76', 40005.05399],
  ['assign1-5-8', 212],
  ['timtab1', 764772],
  ['glass4', 1200012599.97],
  ['neos-3046615-murg', 1600],
  ['sp150x300d', 69],
  ['csched008', 173],
  ['beasleyC3', 754],
  ['50v-10', 3311.1799841],
  ['b1c1s1', 24544.25],
];
// Best values the Balans repository reports after 1 hour (best of SCIP and the two Balans configs).
const DISTRIBUTIONAL: [string, number][] = [
  ['gisp_102', -2322],
  ['mis_2', 3757],
  ['mk_5', 3752],
  ['mvc_8', 2365],
];

function setCover(seed: number, rows = 500, cols = 1000, density = 0.02): MipModel {
  const rng = new Rng(seed);
  const b = new ModelBuilder();
  b.name = `setcover_${seed}`;
  for (let r = 0; r < rows; r++) b.addRow(`e${r}`, 1, Infinity);
  const covered = new Array<number>(rows).fill(0);
  for (let j = 0; j < cols; j++) {
    const c = b.addCol(`s${j}`);
    b.colCost[c] = 1 + rng.int(100);
    b.colUpper[c] = 1;
    b.colInteger[c] = 1;
    for (let r = 0; r < rows; r++) {
      if (rng.next() < density) {
        b.addCoef(r, c, 1);
        covered[r]++;
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    while (covered[r] < 2) {
      b.addCoef(r, rng.int(cols), 1);
      covered[r]++;
    }
  }
  return b.build();
}

function combinatorialAuction(seed: number, items = 200, bids = 1000): MipModel {
  const rng = new Rng(seed);
  const b = new ModelBuilder();
  b.name = `cauction_${seed}`;
  b.sense = 'max';
  const value = Array.from({ length: items }, () => 1 + rng.next() * 99);
  for (let i = 0; i < items; i++) b.addRow(`item${i}`, -Infinity, 1);
  for (let j = 0; j < bids; j++) {
    const c = b.addCol(`bid${j}`);
    b.colUpper[c] = 1;
    b.colInteger[c] = 1;
    const k = 3 + rng.int(6);
    // Bundles of neighbouring items (complementarities), as in the CATS "paths"-like families.
    const start = rng.int(items);
    let price = 0;
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add((start + rng.int(2 * k)) % items);
    for (const i of chosen) {
      b.addCoef(i, c, 1);
      price += value[i];
    }
    b.colCost[c] = Math.round(price * (0.8 + 0.5 * rng.next()));
  }
  return b.build();
}

function independentSet(seed: number, nodes = 1000, degree = 8): MipModel {
  const rng = new Rng(seed);
  const b = new ModelBuilder();
  b.name = `indset_${seed}`;
  b.sense = 'max';
  for (let v = 0; v < nodes; v++) {
    const c = b.addCol(`v${v}`);
    b.colCost[c] = 1;
    b.colUpper[c] = 1;
    b.colInteger[c] = 1;
  }
  const p = degree / (nodes - 1);
  let e = 0;
  for (let u = 0; u < nodes; u++) {
    for (let v = u + 1; v < nodes; v++) {
      if (rng.next() < p) {
        const r = b.addRow(`e${e++}`, -Infinity, 1);
        b.addCoef(r, u, 1);
        b.addCoef(r, v, 1);
      }
    }
  }
  return b.build();
}

function knapsack(seed: number, items = 500, dims = 10): MipModel {
  const rng = new Rng(seed);
  const b = new ModelBuilder();
  b.name = `knapsack_${seed}`;
  b.sense = 'max';
  const w: number[][] = Array.from({ length: dims }, () => Array.from({ length: items }, () => 1 + rng.int(1000)));
  for (let d = 0; d < dims; d++) b.addRow(`cap${d}`, -Infinity, Math.round(0.5 * w[d].reduce((a, x) => a + x, 0)));
  for (let j = 0; j < items; j++) {
    const c = b.addCol(`x${j}`);
    b.colUpper[c] = 1;
    b.colInteger[c] = 1;
    let s = 0;
    for (let d = 0; d < dims; d++) {
      b.addCoef(d, c, w[d][j]);
      s += w[d][j];
    }
    b.colCost[c] = Math.round(s / dims + 500 * rng.next()); // correlated profits: hard to prove
  }
  return b.build();
}

function allInstances(): Instance[] {
  const out: Instance[] = [];
  for (const [name, ref] of MIPLIB) {
    const f = join(DATA, 'miplib2017', `${name}.mps`);
    if (existsSync(f)) out.push({ name, group: 'miplib', load: () => readInstance(f), reference: ref });
  }
  for (const [name, ref] of DISTRIBUTIONAL) {
    const f = join(DATA, 'distributional', `${name}.lp`);
    if (existsSync(f)) out.push({ name, group: 'distributional', load: () => readInstance(f), reference: ref });
  }
  out.push({ name: 'setcover_1', group: 'generated', load: () => setCover(1), reference: null });
  out.push({ name: 'cauction_1', group: 'generated', load: () => combinatorialAuction(1), reference: null });
  out.push({ name: 'indset_1', group: 'generated', load: () => independentSet(1), reference: null });
  out.push({ name: 'knapsack_1', group: 'generated', load: () => knapsack(1), reference: null });
  return out;
}

// ---- runs -------------------------------------------------------------------------------------------
interface RunRecord {
  instance: string;
  config: string;
  seed: number;
  objective: number | null;
  status: string;
  seconds: number;
  iterations: number;
  trace: [number, number][];
  arms: Record<string, MipArmStats>;
}

const SINGLE: Record<string, string> = {
  mutation: 'mutation_50',
  rins: 'rins_40',
  rens: 'rens_50',
  dins: 'dins',
  local_branching: 'local_branching_10',
  proximity: 'proximity_005',
  crossover: 'crossover',
  random_objective: 'random_objective',
};

async function runOne(inst: Instance, model: MipModel, config: string, seed: number, time: number): Promise<RunRecord> {
  const solver = new InlineSubSolver(model);
  await solver.ready();
  const method = config === 'highs' ? 'highs' : 'balans';
  const cfg: Partial<BalansConfig> = {};
  if (config.startsWith('balans:')) cfg.operators = [SINGLE[config.slice(7)]];
  try {
    const out = await solveMip({ model, method, timeLimit: time, seed, solver, config: cfg });
    return { instance: inst.name, config, seed, objective: out.objective, status: out.status, seconds: out.seconds, iterations: out.iterations, trace: out.trace, arms: out.arms };
  } finally {
    await solver.close();
  }
}

// ---- native HiGHS (highspy) vs wasm ------------------------------------------------------------------
const NATIVE_SCRIPT = `
import sys, time, json, highspy
path, nodes = sys.argv[1], int(sys.argv[2])
h = highspy.Highs()
h.setOptionValue('output_flag', False)
h.setOptionValue('threads', 1)
h.setOptionValue('parallel', 'off')
h.setOptionValue('random_seed', 0)
h.readModel(path)
if nodes < 0:
    lp = h.getLp()
    lp.integrality_ = []
    h.passModel(lp)
else:
    h.setOptionValue('mip_max_nodes', nodes)
t = time.perf_counter()
h.run()
dt = time.perf_counter() - t
info = h.getInfo()
print(json.dumps({'seconds': dt, 'objective': info.objective_function_value, 'nodes': int(info.mip_node_count) if nodes >= 0 else 0}))
`;

async function nativeComparison(tmp: string): Promise<Record<string, unknown>[]> {
  try {
    execFileSync('python3', ['-c', 'import highspy'], { stdio: 'ignore' });
  } catch {
    console.log('native HiGHS: python3 highspy not importable; skipped');
    return [];
  }
  const highs = await inlineRuntime();
  const cases: [string, number][] = [
    // [file, mip_max_nodes (-1: LP relaxation)]
    [join(DATA, 'miplib2017', 'pk1.mps'), 3000],
    [join(DATA, 'miplib2017', 'neos5.mps'), 3000],
    [join(DATA, 'miplib2017', 'mas76.mps'), 3000],
    [join(DATA, 'miplib2017', 'gen-ip054.mps'), 3000],
    [join(DATA, 'miplib2017', 'assign1-5-8.mps'), 1000],
    [join(DATA, 'miplib2017', 'b1c1s1.mps'), -1],
    [join(DATA, 'distributional', 'mis_2.lp'), -1],
    [join(DATA, 'distributional', 'mvc_8.lp'), -1],
  ];
  const rows: Record<string, unknown>[] = [];
  for (const [file, nodes] of cases) {
    if (!existsSync(file)) continue;
    // Same model text for both: our MPS writer's output of the parsed instance (MPS bytes for HiGHS).
    const model = readInstance(file);
    const mpsPath = join(tmp, `${model.name || 'model'}.mps`);
    writeFileSync(mpsPath, writeMps(model));
    const native = JSON.parse(execFileSync('python3', ['-c', NATIVE_SCRIPT, mpsPath, String(nodes)], { encoding: 'utf8' }).trim()) as {
      seconds: number;
      objective: number;
      nodes: number;
    };
    const h = highs.createModel({ format: 'mps', data: readFileSync(mpsPath) });
    let wasm: { seconds: number; objective: number; nodes: number };
    try {
      h.options.set({ output_flag: false, random_seed: 0 });
      if (nodes < 0) h.changeColsIntegrality({ kind: 'range', from: 0, to: model.colNames.length - 1 }, new Int32Array(model.colNames.length));
      else h.options.set({ mip_max_nodes: nodes });
      const t0 = performance.now();
      h.run();
      const seconds = (performance.now() - t0) / 1000;
      wasm = { seconds, objective: h.getObjectiveValue(), nodes: nodes < 0 ? 0 : Number(h.info.get('mip_node_count')) };
    } finally {
      h.dispose();
    }
    const row = {
      instance: model.name,
      work: nodes < 0 ? 'LP relaxation' : `MIP, <= ${nodes} nodes`,
      wasmSeconds: round(wasm.seconds, 3),
      nativeSeconds: round(native.seconds, 3),
      ratio: round(wasm.seconds / native.seconds, 2),
      wasmNodes: wasm.nodes,
      nativeNodes: native.nodes,
      wasmObjective: wasm.objective,
      nativeObjective: native.objective,
    };
    console.log('native', JSON.stringify(row));
    rows.push(row);
  }
  return rows;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

// ---- main -------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      time: { type: 'string', default: '15' },
      seeds: { type: 'string', default: '1,2' },
      instances: { type: 'string' },
      'single-instances': { type: 'string', default: 'gen-ip054,pk1,neos-3046615-murg,sp150x300d,mk_5,setcover_1' },
      'single-seeds': { type: 'string', default: '1' },
      'skip-single': { type: 'boolean', default: false },
      'skip-compare': { type: 'boolean', default: false },
      'skip-native': { type: 'boolean', default: false },
      out: { type: 'string', default: join(tmpdir(), 'optiloop-bench-mip.json') },
      list: { type: 'boolean', default: false },
    },
  });
  const all = allInstances();
  if (v.list) {
    for (const i of all) console.log(`${i.name} (${i.group})`);
    return;
  }
  const time = Number(v.time);
  const seeds = v.seeds!.split(',').map(Number);
  const pick = (names: string | undefined) => (names ? all.filter((i) => names.split(',').includes(i.name)) : all);
  const compareSet = pick(v.instances);
  const singleSet = pick(v['single-instances']);
  const runs: RunRecord[] = [];
  const started = Date.now();
  const machine = `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`bench:mip on ${machine}; ${time} s per run`);
  const cache = new Map<string, MipModel>();
  const model = (i: Instance) => {
    if (!cache.has(i.name)) cache.set(i.name, i.load());
    return cache.get(i.name)!;
  };
  await inlineRuntime();

  if (!v['skip-compare']) {
    for (const inst of compareSet) {
      const m = model(inst);
      const c = modelCounts(m);
      for (const seed of seeds) {
        for (const config of ['highs', 'balans']) {
          const r = await runOne(inst, m, config, seed, time);
          runs.push(r);
          console.log(`${inst.name} [${c.rows}x${c.columns}] ${config} seed ${seed}: ${r.status} ${r.objective} (${r.iterations} it)`);
        }
      }
      cache.delete(inst.name);
    }
  }
  if (!v['skip-single']) {
    const ss = v['single-seeds']!.split(',').map(Number);
    for (const inst of singleSet) {
      const m = model(inst);
      for (const seed of ss) {
        for (const fam of Object.keys(SINGLE)) {
          const r = await runOne(inst, m, `balans:${fam}`, seed, time);
          runs.push(r);
          console.log(`${inst.name} balans:${fam} seed ${seed}: ${r.status} ${r.objective} (${r.iterations} it; ${Object.keys(r.arms).length ? '' : 'operator does not apply'})`);
        }
        if (!runs.some((r) => r.instance === inst.name && r.config === 'balans' && r.seed === seed)) {
          runs.push(await runOne(inst, m, 'balans', seed, time));
        }
        if (!runs.some((r) => r.instance === inst.name && r.config === 'highs' && r.seed === seed)) {
          runs.push(await runOne(inst, m, 'highs', seed, time));
        }
      }
      cache.delete(inst.name);
    }
  }

  // References: known optima, else the best value any run found (model sense from the instance list).
  const refs = new Map<string, number>();
  const senseOf = new Map<string, 'min' | 'max'>();
  for (const inst of all) {
    const rs = runs.filter((r) => r.instance === inst.name && r.objective !== null);
    if (!rs.length) continue;
    const sense = inst.group === 'generated' ? (inst.name.startsWith('setcover') ? 'min' : 'max') : inst.name === 'mis_2' || inst.name === 'mk_5' ? 'max' : 'min';
    senseOf.set(inst.name, sense);
    const found = rs.map((r) => r.objective!);
    const bestFound = sense === 'min' ? Math.min(...found) : Math.max(...found);
    const ref = inst.reference === null ? bestFound : sense === 'min' ? Math.min(inst.reference, bestFound) : Math.max(inst.reference, bestFound);
    refs.set(inst.name, ref);
  }
  const table = runs.map((r) => {
    const ref = refs.get(r.instance);
    return {
      ...r,
      reference: ref ?? null,
      gap: ref === undefined ? 1 : primalGap(r.objective, ref),
      integral: ref === undefined ? 1 : primalIntegral(r.trace, ref, time) / time,
    };
  });
  mkdirSync(dirname(v.out!), { recursive: true });
  writeFileSync(v.out!, JSON.stringify({ machine, time, seeds, runs: table, native: [] as unknown[] }, null, 1) + '\n');

  // ---- summaries ----
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const by = (inst: string, config: string) => table.filter((r) => r.instance === inst && r.config === config && seeds.includes(r.seed));
  const instancesCompared = [...new Set(table.filter((r) => r.config === 'highs').map((r) => r.instance))];
  console.log('\n| instance | ref | HiGHS gap | Balans gap | HiGHS integral | Balans integral | Balans top arms |');
  console.log('|---|---|---|---|---|---|---|');
  let noWorse = 0;
  const hi: number[] = [];
  const bi: number[] = [];
  for (const name of instancesCompared) {
    const h = by(name, 'highs');
    const b = by(name, 'balans');
    if (!h.length || !b.length) continue;
    const hg = mean(h.map((r) => r.gap));
    const bg = mean(b.map((r) => r.gap));
    if (bg <= hg + 1e-9) noWorse++;
    hi.push(mean(h.map((r) => r.integral)));
    bi.push(mean(b.map((r) => r.integral)));
    const pulls = new Map<string, number>();
    for (const r of b) for (const [a, s] of Object.entries(r.arms)) pulls.set(a, (pulls.get(a) ?? 0) + s.pulls);
    const top = [...pulls.entries()].filter(([, p]) => p > 0).sort((x, y) => y[1] - x[1]).slice(0, 3).map(([a, p]) => `${a} ${p}`).join(', ');
    console.log(`| ${name} | ${round(refs.get(name) ?? NaN, 4)} | ${hg.toFixed(4)} | ${bg.toFixed(4)} | ${hi.at(-1)!.toFixed(3)} | ${bi.at(-1)!.toFixed(3)} | ${top} |`);
  }
  if (instancesCompared.length) {
    console.log(`\nBalans primal gap no worse than HiGHS on ${noWorse}/${hi.length} instances (${((100 * noWorse) / Math.max(1, hi.length)).toFixed(0)} %); mean primal integral / T: HiGHS ${mean(hi).toFixed(3)}, Balans ${mean(bi).toFixed(3)}`);
  }
  const singles = [...new Set(table.filter((r) => r.config.startsWith('balans:')).map((r) => r.instance))];
  if (singles.length) {
    console.log('\n| instance | Balans (all arms) | ' + Object.keys(SINGLE).join(' | ') + ' |');
    console.log('|---|---|' + Object.keys(SINGLE).map(() => '---').join('|') + '|');
    const famMeans: Record<string, number[]> = {};
    const balansMeans: number[] = [];
    for (const name of singles) {
      const cell = (config: string) => {
        const rs = table.filter((r) => r.instance === name && r.config === config && r.seed === 1);
        if (!rs.length) return NaN;
        if (config.startsWith('balans:') && rs.every((r) => Object.keys(r.arms).length === 0)) return NaN; // does not apply
        return mean(rs.map((r) => r.gap));
      };
      const bal = cell('balans');
      balansMeans.push(bal);
      const cells = Object.keys(SINGLE).map((f) => {
        const g = cell(`balans:${f}`);
        famMeans[f] ??= [];
        if (!Number.isNaN(g)) famMeans[f].push(g);
        return Number.isNaN(g) ? 'n/a' : g.toFixed(4);
      });
      console.log(`| ${name} | ${bal.toFixed(4)} | ${cells.join(' | ')} |`);
    }
    const famAvg = Object.entries(famMeans).map(([f, xs]) => [f, mean(xs), xs.length] as const).sort((a, b) => a[1] - b[1]);
    console.log(`\nmean gap over these ${singles.length} instances: Balans ${mean(balansMeans).toFixed(4)}; single operators (mean over the instances where they apply): ${famAvg.map(([f, g, n]) => `${f} ${g.toFixed(4)} (${n})`).join(', ')}`);
    // Best single operator per instance ("virtual best" is unfair to Balans; the fair one is the best fixed family).
    const fixed = famAvg.filter(([, , n]) => n === singles.length);
    if (fixed.length) console.log(`best single family applicable everywhere: ${fixed[0][0]} ${fixed[0][1].toFixed(4)} vs Balans ${mean(balansMeans).toFixed(4)}`);
  }

  if (!v['skip-native']) {
    const tmp = join(tmpdir(), 'optiloop-bench-mip');
    mkdirSync(tmp, { recursive: true });
    const native = await nativeComparison(tmp);
    if (native.length) {
      const ratios = native.map((r) => r.ratio as number);
      const geo = Math.exp(mean(ratios.map(Math.log)));
      console.log(`\nwasm / native HiGHS time ratio: geometric mean ${geo.toFixed(2)} over ${ratios.length} solves`);
    }
    const saved = JSON.parse(readFileSync(v.out!, 'utf8')) as Record<string, unknown>;
    saved.native = native;
    writeFileSync(v.out!, JSON.stringify(saved, null, 1) + '\n');
  }
  console.log(`\nbench:mip done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${v.out}`);
}

// The wasm engine is 5-7x faster under V8's --no-liftoff (as the CLI and the test runner run it):
// re-run this script with the flag when `npm run bench:mip` started it without.
if (!process.execArgv.includes('--no-liftoff')) {
  const r = spawnSync(process.execPath, ['--no-liftoff', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  await main();
}
