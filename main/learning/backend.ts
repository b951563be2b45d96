/**
 * TensorFlow.js backend picker for the learning agents (DDPG in main/circuit/agents, the grid RL
 * agent, ...). Picks the best backend present, in this order:
 *
 *   1. `tfjs-node-gpu`  (@tensorflow/tfjs-node-gpu: native TensorFlow with CUDA; optional dependency)
 *   2. `tfjs-node`      (@tensorflow/tfjs-node: native TensorFlow on the CPU)
 *   3. `wasm`           (@tensorflow/tfjs-backend-wasm: XNNPACK kernels in WebAssembly)
 *   4. `cpu`            (plain JavaScript kernels, always present)
 *
 * `OPTILOOP_TF_BACKEND=tfjs-node-gpu|tfjs-node|wasm|cpu` forces one; when the forced backend cannot
 * load, the picker falls back along the same order and says so in `backendReport()`.
 *
 * Works in worker threads (each thread has its own module instance, so its own memoised pick).
 * For the tiny MLPs of L2DC (two hidden layers of ~100 units, batch 64) the cpu backend can beat
 * wasm because per-op overhead dominates; bench/circuit-agents.ts measures both. The picker still
 * follows the order above unless overridden.
 */
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was chosen or skipped (import error, setBackend refusal, not tried). */
  reason: string;
}

export interface BackendReport {
  backend: BackendName;
  /** Value of OPTILOOP_TF_BACKEND when set. */
  forced: string | null;
  attempts: BackendAttempt[];
  /** One line for logs and results, e.g. "wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)". */
  summary: string;
}

let pending: Promise<{ tf: Tf; backend: string }> | null = null;
let report: BackendReport | null = null;

/** Names accepted in OPTILOOP_TF_BACKEND (aliases map to the canonical names). */
function canonical(name: string): BackendName | null {
  const n = name.trim().toLowerCase();
  if (n === 'tfjs-node-gpu' || n === 'node-gpu' || n === 'gpu' || n === 'cuda') return 'tfjs-node-gpu';
  if (n === 'tfjs-node' || n === 'node' || n === 'tensorflow') return 'tfjs-node';
  if (n === 'wasm') return 'wasm';
  if (n === 'cpu') return 'cpu';
  return null;
}

function short(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(msg)) return 'not installed';
  return msg.split('\n')[0].slice(0, 160);
}

// Module names in variables: TypeScript does not resolve them, so optional packages that are not
// installed do not break the typecheck.
const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';

async function tryBackend(tf: Tf, name: BackendName): Promise<void> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      // Both register the backend named 'tensorflow' on the shared @tensorflow/tfjs-core instance.
      await import(name === 'tfjs-node-gpu' ? NODE_GPU : NODE_CPU);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend(tensorflow) refused');
      return;
    }
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend(wasm) refused');
      return;
    }
    case 'cpu': {
      // PROD silences the cpu backend's "install our node backend" banner (the report says it).
      tf.env().set('PROD', true);
      if (!(await tf.setBackend('cpu'))) throw new Error('setBackend(cpu) refused');
      return;
    }
  }
}

async function pick(): Promise<{ tf: Tf; backend: string }> {
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  const forcedRaw = process.env.OPTILOOP_TF_BACKEND?.trim() || null;
  const forced = forcedRaw === null ? null : canonical(forcedRaw);
  const attempts: BackendAttempt[] = [];
  let order: BackendName[] = [...BACKEND_ORDER];
  if (forcedRaw !== null && forced === null) {
    attempts.push({ name: 'cpu', ok: false, reason: `OPTILOOP_TF_BACKEND=${forcedRaw} is not one of ${BACKEND_ORDER.join(', ')}: ignored` });
  } else if (forced !== null) {
    // The forced one first, then the normal order below it as fallback.
    order = [forced, ...BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(forced) + 1)];
    for (const n of BACKEND_ORDER) if (!order.includes(n)) attempts.push({ name: n, ok: false, reason: `skipped: OPTILOOP_TF_BACKEND=${forcedRaw}` });
  }
  let chosen: BackendName | null = null;
  for (const name of order) {
    if (chosen !== null) {
      attempts.push({ name, ok: false, reason: `not tried: ${chosen} loaded first` });
      continue;
    }
    try {
      await tryBackend(tf, name);
      await tf.ready();
      chosen = name;
      attempts.push({ name, ok: true, reason: forced === name ? 'forced by OPTILOOP_TF_BACKEND' : 'best backend present' });
    } catch (e) {
      attempts.push({ name, ok: false, reason: short(e) });
    }
  }
  if (chosen === null) throw new Error(`no TensorFlow.js backend loaded: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  const skipped = attempts.filter((a) => !a.ok && !a.reason.startsWith('not tried'));
  attempts.sort((a, b) => BACKEND_ORDER.indexOf(a.name) - BACKEND_ORDER.indexOf(b.name));
  report = {
    backend: chosen,
    forced: forcedRaw,
    attempts,
    summary: skipped.length === 0 ? chosen : `${chosen} (${skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')})`,
  };
  return { tf, backend: chosen };
}

/** Loads TensorFlow.js with the best backend present (memoised per thread). */
export async function loadTf(): Promise<{ tf: Tf; backend: string }> {
  if (pending === null) {
    pending = pick();
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

/** What loadTf picked and why the others were skipped; null before loadTf has finished. */
export function backendReport(): BackendReport | null {
  return report;
}
