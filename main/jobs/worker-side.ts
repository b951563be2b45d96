/**
 * The worker half of WorkerPool: `serveTasks(init, handle)` loads the engine once (init), tells the
 * pool it is ready, then answers tasks one at a time. A thrown error answers the task as failed and
 * keeps the worker; a crash or hang is the pool's business (it replaces the worker).
 */
import { parentPort, workerData } from 'node:worker_threads';

export function serveTasks<S, I, O>(init: (data: unknown) => Promise<S> | S, handle: (state: S, input: I) => Promise<O> | O): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run inside a worker thread');
  const state = Promise.resolve().then(() => init(workerData));
  state.then(
    () => port.postMessage({ type: 'ready' }),
    (e: unknown) => {
      // An engine that cannot start: tell the pool why, then exit (it replaces us, and gives up
      // after a few such deaths in a row).
      port.postMessage({ type: 'init-error', error: e instanceof Error ? e.message : String(e) });
      process.exit(70);
    },
  );
  port.on('message', async (msg: { type: string; id: number; input: I }) => {
    if (msg.type !== 'task') return;
    try {
      const value = await handle(await state, msg.input);
      port.postMessage({ type: 'result', id: msg.id, value });
    } catch (e) {
      port.postMessage({ type: 'error', id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
