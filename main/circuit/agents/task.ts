/**
 * From a parsed CircuitProblem to what the driver needs: the variables, the L2DC reward spec with
 * resolved target refs, and a reference design keyed by the variables' own names.
 */
import type { CircuitProblem } from '../../../simulators/circuit/problem.ts';
import type { RewardSpec } from '../reward.ts';
import type { SizingVariable } from './types.ts';

export function sizingVariables(problem: CircuitProblem): SizingVariable[] {
  return problem.variables.map((v) => ({ name: v.name, lo: v.lo, hi: v.hi, scale: v.scale, step: v.step ?? null }));
}

/** The reference design's params keyed by the variables' names (the file may differ in case). */
export function referenceParams(problem: CircuitProblem): Record<string, number> | null {
  const ref = problem.reference;
  if (!ref) return null;
  const byLower = new Map(Object.entries(ref.params).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, number> = {};
  for (const v of problem.variables) {
    const x = ref.params[v.name] ?? byLower.get(v.name.toLowerCase());
    out[v.name] = x ?? v.init ?? (v.scale === 'log' ? Math.sqrt(v.lo * v.hi) : (v.lo + v.hi) / 2);
  }
  return out;
}

/** Where each target's normalising ref came from (shown in logs and results). */
export type RefSource = 'problem' | 'published reference' | 'simulated reference' | 'simulated initial design' | 'default 1';

/**
 * The reward spec: constraints as the problem states them; each target's ref is the problem's
 * `ref`, else the reference design's published metric, else its simulated metric, else the
 * simulated initial design's, else 1.
 */
export function rewardSpecOf(
  problem: CircuitProblem,
  simulated: Record<string, number> | null,
  simulatedIsReference: boolean,
): { spec: RewardSpec; refSources: Record<string, RefSource> } {
  const refSources: Record<string, RefSource> = {};
  const targets = problem.targets.map((t) => {
    const candidates: [number | undefined, RefSource][] = [
      [t.ref, 'problem'],
      [problem.reference?.metrics?.[t.metric], 'published reference'],
      [simulated?.[t.metric], simulatedIsReference ? 'simulated reference' : 'simulated initial design'],
    ];
    const hit = candidates.find(([x]) => x !== undefined && Number.isFinite(x) && x !== 0);
    const ref = hit ? Math.abs(hit[0] as number) : 1;
    refSources[t.metric] = hit ? hit[1] : 'default 1';
    return { metric: t.metric, sense: t.sense, ref };
  });
  return {
    spec: { constraints: problem.constraints.map((c) => ({ metric: c.metric, op: c.op, value: c.value, scale: c.scale })), targets },
    refSources,
  };
}

/**
 * `--beat-reference`: the reference design's simulated target values become extra hard constraints
 * (a target to minimise must stay <= the reference's value, one to maximise >= it), so "feasible"
 * means "dominates the reference". Shortfalls are then measured in decades (RewardSpec.shortfall):
 * the added constraints are in other units than the problem's own, and the L2DC form would weigh
 * them very differently (see reward.ts).
 */
export function withReferenceConstraints(spec: RewardSpec, refMetrics: Record<string, number>): RewardSpec {
  const extra = spec.targets.map((t) => ({
    metric: t.metric,
    op: t.sense === 'min' ? ('<=' as const) : ('>=' as const),
    value: refMetrics[t.metric],
    scale: 'lin' as const,
  }));
  return { ...spec, constraints: [...spec.constraints, ...extra], shortfall: 'decades' };
}
