/**
 * An analytic sizing problem with a known optimum, shaped like the three-stage TIA task (log-scale
 * gain and bandwidth constraints, a linear power limit, power and area targets, a failing region).
 *
 *   variables  a, b in [0.1, 10] (log scale), c, d, e, f in [-1, 1] (linear)
 *   gain      = a * b                  >= 4      (log scale)
 *   bandwidth = 1e6 * b / a            >= 1e6    (log scale)
 *   power     = a + b                  <= 12     (linear)
 *   area      = 1 + c^2 + d^2 + e^2 + f^2
 *   targets   : minimise power (ref 4), minimise area (ref 1)
 *   a > 8     : the "simulation" fails
 *
 * Optimum: a = b = 2, c = d = e = f = 0: power 4, area 1, score 4/4 + 1/1 = 2.
 */
import type { EvalOutcome, SizingTask } from '../../main/circuit/agents/types.ts';

export function analyticTask(): SizingTask & { evaluations: number } {
  const task: SizingTask & { evaluations: number } = {
    name: 'analytic',
    evaluations: 0,
    variables: [
      { name: 'a', lo: 0.1, hi: 10, scale: 'log' as const },
      { name: 'b', lo: 0.1, hi: 10, scale: 'log' as const },
      { name: 'c', lo: -1, hi: 1, scale: 'lin' as const },
      { name: 'd', lo: -1, hi: 1, scale: 'lin' as const },
      { name: 'e', lo: -1, hi: 1, scale: 'lin' as const },
      { name: 'f', lo: -1, hi: 1, scale: 'lin' as const },
    ],
    reward: {
      constraints: [
        { metric: 'gain', op: '>=' as const, value: 4, scale: 'log' as const },
        { metric: 'bandwidth', op: '>=' as const, value: 1e6, scale: 'log' as const },
        { metric: 'power', op: '<=' as const, value: 12, scale: 'lin' as const },
      ],
      targets: [
        { metric: 'power', sense: 'min' as const, ref: 4 },
        { metric: 'area', sense: 'min' as const, ref: 1 },
      ],
    },
    async evaluate(batch: Record<string, number>[]): Promise<EvalOutcome[]> {
      task.evaluations += batch.length;
      return batch.map((p): EvalOutcome => {
        if (p.a > 8) return { ok: false, metrics: {}, error: 'simulated engine failure (a > 8)' };
        return {
          ok: true,
          metrics: {
            gain: p.a * p.b,
            bandwidth: (1e6 * p.b) / p.a,
            power: p.a + p.b,
            area: 1 + p.c ** 2 + p.d ** 2 + p.e ** 2 + p.f ** 2,
          },
        };
      });
    },
  };
  return task;
}
