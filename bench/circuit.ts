/**
 * `npm run bench:circuit`: the engine benchmark (bench/circuit-engine.ts: simulations per second,
 * pool scaling, memory, wasm vs native ngspice) and then the agents benchmark
 * (bench/circuit-agents.ts: DDPG, random search and CMA-ES on the three-stage TIA, plus DDPG's
 * training cost on the cpu and wasm TensorFlow.js backends). Arguments after `--` go to the agents
 * benchmark, e.g. `npm run bench:circuit -- --seeds 3 --budget 1000`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (script: string, args: string[] = []): number => {
  const r = spawnSync(process.execPath, ['--no-liftoff', '--import', 'tsx', script, ...args], { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
};

let code = 0;
const engine = fileURLToPath(new URL('./circuit-engine.ts', import.meta.url));
if (existsSync(engine)) code |= node(engine);
else console.error('bench/circuit-engine.ts is missing: engine figures skipped');
const agents = fileURLToPath(new URL('./circuit-agents.ts', import.meta.url));
code |= node(agents, ['--tf-micro']);
code |= node(agents, process.argv.slice(2));
process.exit(code);
