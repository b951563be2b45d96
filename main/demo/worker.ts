/**
 * Evaluation worker of the demo job: the Rosenbrock function, with optional delay and with
 * injectable faults (crash the thread, hang forever) to exercise the pool's recovery.
 */
import { serveTasks } from '../jobs/worker-side.ts';
import { rosenbrock } from './rosenbrock.ts';

export interface DemoTask {
  x: number[];
  delayMs: number;
  fault: 'none' | 'crash' | 'hang' | 'throw';
}


serveTasks(
  () => null,
  async (_state, task: DemoTask) => {
    if (task.fault === 'crash') process.exit(3);
    if (task.fault === 'hang') for (;;) { /* a hung engine: only termination helps */ }
    if (task.fault === 'throw') throw new Error('injected evaluation error');
    if (task.delayMs > 0) await new Promise((r) => setTimeout(r, task.delayMs));
    return rosenbrock(task.x);
  },
);
