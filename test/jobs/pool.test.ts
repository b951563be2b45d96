import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool, WorkerFailure } from '../../main/jobs/pool.ts';
import { rosenbrock } from '../../main/demo/rosenbrock.ts';
import type { DemoTask } from '../../main/demo/worker.ts';

const entry = new URL('../../main/demo/worker.ts', import.meta.url);
const task = (x: number[], fault: DemoTask['fault'] = 'none'): DemoTask => ({ x, delayMs: 0, fault });

test('the pool answers in order and recycles workers after N tasks', async () => {
  const pool = new WorkerPool<DemoTask, number>({ entry, size: 2, recycleAfter: 3 });
  try {
    const xs = Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10, 0.5]);
    const out = await pool.map(xs.map((x) => task(x)));
    assert.deepEqual(out, xs.map((x) => rosenbrock(x)));
    assert.ok(pool.stats.recycled >= 2, `recycled ${pool.stats.recycled}`);
  } finally {
    await pool.close();
  }
});

test('a hung task times out, its worker is replaced, and later tasks still run', async () => {
  const pool = new WorkerPool<DemoTask, number>({ entry, size: 1, taskTimeoutMs: 800 });
  try {
    const hung = pool.run(task([1, 1], 'hang'));
    const next = pool.run(task([1, 1]));
    await assert.rejects(hung, (e: unknown) => e instanceof WorkerFailure && e.kind === 'timeout');
    assert.equal(await next, 0);
    assert.equal(pool.stats.replaced, 1);
  } finally {
    await pool.close();
  }
});

test('closing the pool rejects queued work', async () => {
  const pool = new WorkerPool<DemoTask, number>({ entry, size: 1 });
  const a = pool.run({ x: [0, 0], delayMs: 300, fault: 'none' });
  const b = pool.run(task([0, 0]));
  const closed = (e: unknown) => e instanceof WorkerFailure && e.kind === 'closed';
  const checks = [assert.rejects(a, closed), assert.rejects(b, closed)];
  await pool.ready();
  await pool.close();
  await Promise.all(checks);
});

test('workers that cannot start fail the work with the reason instead of respawning forever', async () => {
  const pool = new WorkerPool<number, number>({ entry: new URL('./fixtures/broken-worker.ts', import.meta.url), size: 2 });
  try {
    await assert.rejects(pool.run(1), (e: unknown) => e instanceof WorkerFailure && e.kind === 'crash' && /engine\.wasm not found/.test(e.message));
    await assert.rejects(pool.run(2), /workers fail to start/);
  } finally {
    await pool.close();
  }
});
