/**
 * The L2DC reward shape (Wang et al. 2018, as the park `circuit` environment implements it):
 *
 * - While any hard constraint fails: the sum over constraints of the scaled shortfall, each in [-1, 0]
 *     `>=` log scale: log10(min(m, v)) / log10(v) - 1        (gain, bandwidth)
 *     `>=` lin scale: min(m, v) / v - 1
 *     `<=` lin scale: v / max(m, v) - 1                       (power)
 *     `<=` log scale: log10(v) / log10(max(m, v)) - 1
 *   (a met constraint contributes 0, so the score is < 0 until every constraint holds).
 * - Once every constraint holds: the sum over targets of `ref / m` (minimise) or `m / ref` (maximise),
 *   which is > 0, so any feasible design outscores any infeasible one. With the human expert's values
 *   as refs, a score above the number of targets means "better than the human on average".
 * - A failed simulation (engine error, timeout, a metric that is missing or not finite): -5.
 *
 * Option `shortfall: 'decades'` (used by `--beat-reference`) measures every shortfall in decades
 * instead (see RewardSpec).
 *
 * Generalisations beyond the paper (its specs are all positive and > 10): log-scale terms divide by
 * max(1, |log10 v|) so a spec near 1 does not blow up; non-positive specs use the shortfall relative
 * to |v|; every term is clamped to [-1, 0].
 */
import type { CircuitConstraintStatus } from '../../contract/circuit.ts';

export const FAIL_SCORE = -5;

export interface RewardConstraint {
  metric: string;
  op: '>=' | '<=';
  value: number;
  scale: 'lin' | 'log';
}

export interface RewardTarget {
  metric: string;
  sense: 'min' | 'max';
  /** Normalising value (e.g. the human expert's metric); must be > 0. */
  ref: number;
}

export interface RewardSpec {
  constraints: readonly RewardConstraint[];
  targets: readonly RewardTarget[];
  failScore?: number;
  /**
   * How a shortfall is measured: 'l2dc' (default) as above; 'decades' = -|log10(m / v)| for every
   * constraint with positive values (how many decades short, clamped to [-1, 0]), which does not
   * depend on the unit a value is expressed in. The L2DC form divides a log-scale shortfall by
   * log10(v), so in SI units 1 % of bandwidth (v = 90 MHz: 7.95) weighs 18x less than 1 % of a
   * linear power limit; that is harmless while gain and bandwidth are the only constraints, but
   * when power and area become constraints too (`--beat-reference`) the search trades bandwidth
   * for power at the boundary. Non-positive values keep the relative form.
   */
  shortfall?: 'l2dc' | 'decades';
}

export interface Scored {
  score: number;
  /** The simulation ran and produced every metric the spec needs. */
  ok: boolean;
  /** ok and every hard constraint holds. */
  feasible: boolean;
  constraints: CircuitConstraintStatus[];
}

function clampTerm(x: number): number {
  return Math.max(-1, Math.min(0, x));
}

/** Shortfall term of one constraint, in [-1, 0] (0 when met). */
export function violation(c: RewardConstraint, m: number, shortfall: RewardSpec['shortfall'] = 'l2dc'): number {
  const v = c.value;
  if (c.op === '>=' ? m >= v : m <= v) return 0;
  if (shortfall === 'decades' && v > 0) return m > 0 ? clampTerm(-Math.abs(Math.log10(m / v))) : -1;
  if (c.scale === 'log' && v > 0) {
    const den = Math.max(1, Math.abs(Math.log10(v)));
    if (c.op === '>=') {
      if (m <= 0) return -1;
      // = log10(m)/log10(v) - 1 for v >= 10 (the paper's form).
      return clampTerm((Math.log10(m) - Math.log10(v)) / den);
    }
    return clampTerm((Math.log10(v) - Math.log10(m)) / Math.max(den, Math.abs(Math.log10(m))));
  }
  if (v > 0) {
    if (c.op === '>=') return clampTerm(m / v - 1);
    return clampTerm(v / m - 1);
  }
  const scale = Math.max(Math.abs(v), 1e-30);
  return clampTerm(c.op === '>=' ? (m - v) / scale : (v - m) / scale);
}

/** Scores one simulation result (null or ok=false: a failed simulation). */
export function scoreDesign(spec: RewardSpec, metrics: Record<string, number> | null): Scored {
  const fail = spec.failScore ?? FAIL_SCORE;
  const constraints: CircuitConstraintStatus[] = spec.constraints.map((c) => {
    const m = metrics?.[c.metric];
    const value = m !== undefined && Number.isFinite(m) ? m : null;
    return { metric: c.metric, op: c.op, target: c.value, value, met: value !== null && (c.op === '>=' ? value >= c.value : value <= c.value) };
  });
  const needed = [...spec.constraints.map((c) => c.metric), ...spec.targets.map((t) => t.metric)];
  const ok = metrics !== null && needed.every((k) => metrics[k] !== undefined && Number.isFinite(metrics[k]));
  if (!ok) return { score: fail, ok: false, feasible: false, constraints };
  const feasible = constraints.every((c) => c.met);
  let score = 0;
  if (!feasible) {
    spec.constraints.forEach((c) => {
      score += violation(c, metrics[c.metric], spec.shortfall);
    });
  } else {
    for (const t of spec.targets) {
      const m = metrics[t.metric];
      const tiny = Math.abs(t.ref) * 1e-9;
      score += t.sense === 'min' ? t.ref / Math.max(m, tiny) : m / t.ref;
    }
  }
  return { score, ok, feasible, constraints };
}
