/**
 * The circuit engine benchmark (run by `npm run bench:circuit`, or alone:
 * `node --no-liftoff --import tsx bench/circuit-engine.ts [--sims N] [--circuits a,b] [--no-write]`).
 *
 * Per bundled circuit:
 * - ms per simulation on one engine in this thread: designs applied with `alter` in place, and with
 *   re-sourcing the sized netlist;
 * - the same analyses of the same netlist in native ngspice (Debian's `ngspice -b`, installed when
 *   missing and apt is usable), looped in a .control block so process start-up is not counted: the
 *   wasm / native ratio;
 * - simulations per second through the evaluator (worker threads, IPC included) with 1 worker and
 *   with one worker per core, and the scaling between them;
 * - memory per worker (JS heap + external, i.e. the engine's wasm memory) and its growth per run.
 * Results go to the "## Circuit engine" section of docs/benchmarks.md (other sections untouched).
 */
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, availableParallelism, cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { parseProblem, snapParams, type CircuitProblem } from '../simulators/circuit/problem.ts';
import { SpiceSession, ProblemRunner, writtenVectors } from '../simulators/circuit/engine.ts';
import { saturationVectors } from '../simulators/circuit/measure.ts';
import { parseNetlist } from '../simulators/circuit/netlist.ts';
import { sizedNetlist } from '../simulators/circuit/export.ts';
import { CircuitEvaluator } from '../main/circuit/evaluator.ts';
import { Rng } from '../simulators/rng.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const SIMS = Number(args[args.indexOf('--sims') + 1]) || 30;
const WRITE = !args.includes('--no-write') && !args.includes('--circuits');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** External memory (the wasm heap, after a full GC frees the parsed-vector buffers), bytes. */
const wasmHeap = () => {
  gc();
  gc();
  return getHeapStatistics().external_memory;
};
const ALL_CIRCUITS = ['three-stage-tia', 'two-stage-tia', 'miller-opamp-130nm'];
/** `--circuits a,b`: a subset, for a quick check (never written to the docs). */
const CIRCUITS = args.includes('--circuits') ? (args[args.indexOf('--circuits') + 1] ?? '').split(',').filter((c) => ALL_CIRCUITS.includes(c)) : ALL_CIRCUITS;

function load(name: string): CircuitProblem {
  const dir = join(root, 'resources/circuits', name);
  return parseProblem(readFileSync(join(dir, 'problem.yaml'), 'utf8'), `${name}/problem.yaml`, (f) => readFileSync(join(dir, f), 'utf8'));
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

function randomDesigns(p: CircuitProblem, n: number, seed: number): Record<string, number>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const d: Record<string, number> = {};
    for (const v of p.variables) {
      const u = rng.next();
      d[v.name] = v.scale === 'log' ? v.lo * (v.hi / v.lo) ** u : v.lo + u * (v.hi - v.lo);
    }
    return snapParams(p, d);
  });
}

function ensureNgspice(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v ngspice'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  console.error('ngspice not found: installing Debian ngspice (flock /tmp/apt.lock apt-get install -y ngspice)');
  const r = spawnSync('sh', ['-c', 'flock /tmp/apt.lock apt-get update -qq && flock /tmp/apt.lock apt-get install -y -qq ngspice'], { stdio: 'inherit' });
  if (r.status !== 0) return null;
  const again = spawnSync('sh', ['-c', 'command -v ngspice'], { encoding: 'utf8' });
  return again.status === 0 ? again.stdout.trim() : null;
}

/** Native ngspice: ms per run of the problem's analyses, start-up excluded (loop of n minus loop of 1). */
function nativeMs(ngspice: string, p: CircuitProblem, n: number, session: SpiceSession): { ms: number; version: string } {
  const dir = mkdtempSync(join(tmpdir(), 'optiloop-native-'));
  for (const [f, text] of Object.entries(p.files)) writeFileSync(join(dir, f.replace(/^\.\//, '')), text);
  // model cards that ship inside the wasm engine (modelcard.ptm, ...): copy them out for native ngspice
  for (const m of p.netlist.matchAll(/^\s*\.include\s+(\S+)/gim)) {
    const name = m[1].replace(/^["']|["']$/g, '');
    if (name in p.files) continue;
    const bytes = session.readFile(`/${name}`);
    if (bytes) writeFileSync(join(dir, name), bytes);
  }
  const base = sizedNetlist(p, p.reference?.params ?? snapParams(p, {}))
    .split('\n')
    .filter((l) => !/^\s*\.(op|ac|tran|noise|dc|meas|measure|end)\b/i.test(l))
    .join('\n');
  const run = (loops: number): number => {
    const body = p.analyses.map((a) => `${a}\n`).join('');
    const text = `${base}\n.control\nlet i = 0\nwhile i < ${loops}\n${body}destroy all\nlet i = i + 1\nend\n.endc\n.end\n`;
    const file = join(dir, `loop${loops}.cir`);
    writeFileSync(file, text);
    // CPU time of the child (user + sys from the shell's `times`): wall time is meaningless on
    // shared cores. The output goes to a file whose analysis count proves the loop ran.
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const log = join(dir, `loop${loops}.log`);
      const r = spawnSync('bash', ['-c', `"${ngspice}" -b "${file}" > "${log}" 2>&1; times`], { cwd: dir, encoding: 'utf8' });
      const done = (readFileSync(log, 'utf8').match(/No\. of Data Rows/g) ?? []).length;
      if (done < loops * p.analyses.length) throw new Error(`ngspice ran ${done} of ${loops * p.analyses.length} analyses: ${readFileSync(log, 'utf8').slice(0, 400)}`);
      // `times` prints the shell's then the children's user and sys times: "0m0.001s 0m0.002s"
      const lines = r.stdout.trim().split('\n');
      const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((x) => {
        const m = /(\d+)m([\d.]+)s/.exec(x);
        return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
      });
      best = Math.min(best, (secs[0] + secs[1]) * 1000);
    }
    return best;
  };
  const one = run(1);
  const many = run(n + 1);
  // CPU times on a loaded VM jitter by more than a short loop's difference: no figure then
  if (!(many - one > 0.2 * one)) throw new Error(`native CPU times too noisy (loop of 1: ${one.toFixed(0)} ms, loop of ${n + 1}: ${many.toFixed(0)} ms)`);
  const v = spawnSync(ngspice, ['--version'], { encoding: 'utf8' }).stdout.match(/ngspice-\d+/)?.[0] ?? 'ngspice';
  return { ms: (many - one) / n, version: v };
}

interface Row {
  circuit: string;
  points: string;
  alterMs: number;
  sourceMs: number;
  sameMs: number;
  sameCpuMs: number;
  engineCpuMs: number;
  nativeMs: number | null;
  native: string;
  one: number;
  pool: number;
  workers: number;
  memMB: number;
  growthKB: number;
}

async function main(): Promise<void> {
  const ngspice = ensureNgspice();
  const session = await SpiceSession.start();
  const rows: Row[] = [];
  const cores = availableParallelism();
  for (const name of CIRCUITS) {
    const p = load(name);
    const designs = randomDesigns(p, SIMS, 1);
    // 1. one engine in this thread: alter vs source, and the reference repeated (same work as native)
    const alter = new ProblemRunner(session, p, `b-${name}`);
    for (const d of designs.slice(0, 3)) await alter.evaluate(d);
    // medians of single-run times: the cores are shared, medians resist the other sessions' bursts
    const timed = async (r: ProblemRunner, list: Record<string, number>[]) => {
      const ms: number[] = [];
      for (const d of list) {
        const t0 = performance.now();
        await r.evaluate(d);
        ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const alterMs = await timed(alter, designs);
    const ref = p.reference?.params ?? snapParams(p, {});
    await alter.evaluate(ref);
    const h0 = wasmHeap();
    const cpu0 = process.cpuUsage();
    const sameMs = await timed(alter, Array.from({ length: SIMS }, () => ref));
    const cpu1 = process.cpuUsage(cpu0);
    const sameCpuMs = (cpu1.user + cpu1.system) / 1000 / SIMS;
    const growthKB = (wasmHeap() - h0) / SIMS / 1024;
    // the engine alone: the same analyses and raw writes as a run, without our TypeScript around them
    // (the circuit the alter runner loaded is still in the engine)
    const parsed = parseNetlist(p.netlist, p.netlistFile);
    const models = [...parsed.models];
    const saves = saturationVectors(p, { devices: parsed.devices, models });
    const written = writtenVectors(p, parsed);
    const engineCmds = p.analyses.flatMap((a, i) => {
      const kind = /^\s*(\w+)/.exec(a)?.[1]?.toLowerCase() ?? '';
      if (kind === 'op' && saves.length > 0) return [`save ${written.op ?? 'all'} ${saves.join(' ')}`, a, `write /bench-${i}.raw`, 'delete all'];
      return kind === 'noise' ? ['destroy all', a, `write /bench-${i}.raw`] : [a, `write /bench-${i}.raw ${written[kind] ?? ''}`.trim()];
    });
    engineCmds.push('destroy all');
    const e0 = process.cpuUsage();
    for (let i = 0; i < SIMS; i++) await session.commands(engineCmds);
    const e1 = process.cpuUsage(e0);
    const engineCpuMs = (e1.user + e1.system) / 1000 / SIMS;
    const source = new ProblemRunner(session, p, `s-${name}`, { forceSource: true });
    const sourceMs = await timed(source, designs.slice(0, Math.max(5, Math.floor(SIMS / 2))));
    // 2. native ngspice on the same netlist and analyses
    let native: { ms: number; version: string } | null = null;
    if (ngspice) {
      try {
        native = nativeMs(ngspice, p, SIMS, session);
      } catch (e) {
        console.error(`${name}: native run failed: ${(e as Error).message}`);
      }
    }
    // 3. the evaluator: 1 worker, then one per core
    const throughput = async (workers: number): Promise<{ rate: number; mem: number }> => {
      const ev = await CircuitEvaluator.create(p, { workers });
      await ev.evaluate(designs.slice(0, workers * 2));
      const batch = randomDesigns(p, SIMS * workers, 2);
      const t0 = performance.now();
      const res = await ev.evaluate(batch);
      const s = (performance.now() - t0) / 1000;
      const mem = ev.stats.maxWasmBytes;
      await ev.close();
      if (res.some((r) => !r.ok && r.via !== 'source' && r.via !== 'alter')) console.error(`${name}: pool failures ${JSON.stringify(ev.stats)}`);
      return { rate: batch.length / s, mem };
    };
    const one = await throughput(1);
    const pool = await throughput(cores);
    const ac = p.analyses.find((a) => /^ac\b/i.test(a)) ?? p.analyses.join('; ');
    rows.push({
      circuit: name,
      points: ac,
      alterMs,
      sourceMs,
      sameMs,
      sameCpuMs,
      engineCpuMs,
      nativeMs: native?.ms ?? null,
      native: native?.version ?? 'n/a',
      one: one.rate,
      pool: pool.rate,
      workers: cores,
      memMB: one.mem / 2 ** 20,
      growthKB,
    });
    const r = rows[rows.length - 1];
    console.log(
      `${name}: alter ${r.alterMs.toFixed(1)} ms, source ${r.sourceMs.toFixed(1)} ms, same design ${r.sameMs.toFixed(1)} ms (cpu ${r.sameCpuMs.toFixed(1)} ms, engine alone ${r.engineCpuMs.toFixed(1)} ms), native cpu ${r.nativeMs?.toFixed(1) ?? 'n/a'} ms, ` +
        `1 worker ${r.one.toFixed(1)}/s, ${cores} workers ${r.pool.toFixed(1)}/s, memory ${r.memMB.toFixed(0)} MB, growth ${r.growthKB.toFixed(1)} kB/run`,
    );
  }
  const f = (x: number, d = 1) => x.toFixed(d);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '## Circuit engine',
    '',
    `Command: \`node --no-liftoff --import tsx bench/circuit-engine.ts\` (part of \`npm run bench:circuit\`), ${SIMS} designs per`,
    `measurement, ${new Date().toISOString().slice(0, 10)}, ${cores} cores (${cpu}), Node ${process.versions.node}, eecircuit-engine 1.8.0`,
    `(ngspice-45 wasm) vs Debian ${rows[0]?.native ?? 'ngspice'}. Other sessions shared the cores: absolute times are noisy.`,
    '',
    '| circuit | analyses | alter ms/sim | re-source ms/sim | same design ms/sim (CPU ms) | engine alone CPU ms | native CPU ms/sim | wasm/native (CPU: run, engine alone) | sims/s 1 worker | sims/s pool | pool scaling | memory/worker MB | growth kB/run |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const ratio = r.nativeMs ? `${f(r.sameCpuMs / r.nativeMs, 2)}, ${f(r.engineCpuMs / r.nativeMs, 2)}` : 'n/a';
      return `| ${r.circuit} | ${r.points} | ${f(r.alterMs)} | ${f(r.sourceMs)} | ${f(r.sameMs)} (${f(r.sameCpuMs)}) | ${f(r.engineCpuMs)} | ${r.nativeMs ? f(r.nativeMs) : 'n/a'} | ${ratio} | ${f(r.one)} | ${f(r.pool)} (${r.workers} workers) | ${f(r.pool / r.one, 2)}x | ${f(r.memMB, 0)} | ${f(r.growthKB)} |`;
    }),
    '',
    '- *alter*: random designs applied in place (`alter dev w=...`), one engine in the calling thread, median',
    '  of single runs; raw files written and parsed, metrics computed. *re-source*: the sized netlist sourced per design. *same design*: the',
    '  reference design repeated, the same work as the native loop (median wall ms, and CPU ms of this process per',
    '  run). *native*: Debian ngspice running the same netlist and analyses in a `.control` loop, CPU time of the',
    '  child (user + sys; loop of N+1 minus loop of 1, so start-up is excluded); *wasm/native* compares CPU times,',
    '  which the other sessions on the shared cores disturb far less than wall times. *engine alone*: the same',
    "  commands sent straight to the wasm engine (analyses, the op values' `save`, raw writes), without the",
    '  TypeScript around them (raw parsing, measurements).',
    '- Like for like is the three-stage TIA (level-1 MOS: the same equations and solver in both). The BSIM circuits',
    "  compare two ngspice versions (Debian's 39 vs the engine's 45) whose operating-point convergence differs",
    '  (39 goes through slow gmin stepping on these netlists): there the ratio says more about versions than wasm.',
    ...(() => {
      const tia = rows.find((r) => r.circuit === 'three-stage-tia');
      if (!tia) return [];
      const best = Math.max(...rows.map((r) => r.pool / r.one));
      return [
        `- Goals of issue 3: wasm/native <= 1.3 and pool scaling >= 0.8 x cores (${f(0.8 * cores, 1)}x here). In this run the`,
        `  three-stage TIA ran at ${tia.nativeMs ? f(tia.sameCpuMs / tia.nativeMs, 2) : 'n/a'}x native CPU per full run and ${tia.nativeMs ? f(tia.engineCpuMs / tia.nativeMs, 2) : 'n/a'}x for the engine alone;`,
        `  pool scaling ranged ${f(Math.min(...rows.map((r) => r.pool / r.one)), 2)}x-${f(best, 2)}x. Both move with the load other sessions put on the shared cores.`,
      ];
    })(),
    '- *sims/s*: through `CircuitEvaluator` (worker threads, structured-clone IPC, watchdog), random designs;',
    '  *pool scaling* = pool rate / one-worker rate (the ideal is the number of cores).',
    '- *memory/worker*: JS heap + external memory (the wasm heap) of a worker thread; *growth*: of the external',
    '  (wasm) memory per run of the same design, after `destroy all`. The wasm heap grows in steps, so a short',
    '  window can read 0; over 200 runs of the TIA it averaged about 0.4 MB per run, alter or re-source alike,',
    '  hence the evaluator recycles workers every 300 runs.',
    '',
  ];
  const text = lines.join('\n');
  console.log(`\n${text}`);
  if (WRITE) {
    const file = join(root, 'docs/benchmarks.md');
    const cur = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const start = cur.indexOf('## Circuit engine');
    let next = start >= 0 ? cur.indexOf('\n## ', start + 5) : -1;
    if (next >= 0) next += 1;
    const updated = start < 0 ? `${cur.replace(/\n*$/, '\n\n')}${text}` : `${cur.slice(0, start)}${text}${next >= 0 ? `\n${cur.slice(next)}` : ''}`;
    writeFileSync(file, updated);
    console.log(`wrote the "## Circuit engine" section of ${file}`);
  }
}

await main();
process.exit(0);
