import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { loadTf, backendReport, BACKEND_ORDER } from '../../main/learning/backend.ts';

const require = createRequire(import.meta.url);
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The backend the order should give on this machine. */
function expectedBackend(): string {
  if (installed('@tensorflow/tfjs-node-gpu')) return 'tfjs-node-gpu';
  if (installed('@tensorflow/tfjs-node')) return 'tfjs-node';
  return 'wasm';
}

function inWorker(env: Record<string, string | undefined>): Promise<{ backend: string; same: boolean; y: number[]; tfBackend: string; report: { attempts: { name: string; ok: boolean; reason: string }[]; forced: string | null; summary: string } }> {
  return new Promise((resolve, reject) => {
    // Node 20 does not apply `--import tsx` to a worker's own TypeScript entry: register tsx's
    // loader from a small eval'd bootstrap, then import the fixture.
    const entry = new URL('./backend-worker.fixture.ts', import.meta.url);
    const api = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
    const w = new Worker(code, { eval: true, env, execArgv: [] });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('loadTf picks the best backend present, memoised, and reports why others were skipped', async () => {
  const envBefore = process.env.OPTILOOP_TF_BACKEND;
  delete process.env.OPTILOOP_TF_BACKEND;
  try {
    const a = await loadTf();
    const b = await loadTf();
    assert.equal(a.tf, b.tf);
    assert.equal(a.backend, expectedBackend());
    const r = backendReport();
    assert.ok(r);
    assert.equal(r.backend, a.backend);
    assert.deepEqual(r.attempts.map((x) => x.name), [...BACKEND_ORDER]);
    if (!installed('@tensorflow/tfjs-node-gpu')) {
      const gpu = r.attempts.find((x) => x.name === 'tfjs-node-gpu');
      assert.equal(gpu?.ok, false);
      assert.equal(gpu?.reason, 'not installed');
      assert.match(r.summary, /tfjs-node-gpu: not installed/);
    }
    // The backend computes: [[1,2],[3,4]] x [5,6]^T = [17, 39].
    const y = a.tf.matMul(a.tf.tensor2d([[1, 2], [3, 4]]), a.tf.tensor2d([[5], [6]])).dataSync();
    assert.deepEqual(Array.from(y), [17, 39]);
  } finally {
    if (envBefore !== undefined) process.env.OPTILOOP_TF_BACKEND = envBefore;
  }
});

test('loadTf works inside a worker thread', async () => {
  const m = await inWorker({ ...process.env, OPTILOOP_TF_BACKEND: undefined });
  assert.equal(m.backend, expectedBackend());
  assert.equal(m.same, true);
  assert.deepEqual(m.y, [17, 39]);
});

test('OPTILOOP_TF_BACKEND forces a backend; an unavailable forced one falls back and says so', async () => {
  const cpu = await inWorker({ ...process.env, OPTILOOP_TF_BACKEND: 'cpu' });
  assert.equal(cpu.backend, 'cpu');
  assert.equal(cpu.tfBackend, 'cpu');
  assert.equal(cpu.report.forced, 'cpu');
  assert.deepEqual(cpu.y, [17, 39]);
  assert.match(cpu.report.attempts.find((a) => a.name === 'wasm')!.reason, /skipped: OPTILOOP_TF_BACKEND=cpu/);
  if (!installed('@tensorflow/tfjs-node')) {
    const node = await inWorker({ ...process.env, OPTILOOP_TF_BACKEND: 'tfjs-node' });
    assert.equal(node.backend, 'wasm');
    assert.equal(node.report.attempts.find((a) => a.name === 'tfjs-node')!.reason, 'not installed');
  }
  const bogus = await inWorker({ ...process.env, OPTILOOP_TF_BACKEND: 'quantum' });
  assert.equal(bogus.backend, expectedBackend());
  assert.ok(bogus.report.attempts.some((a) => /quantum.*ignored/.test(a.reason)));
});
