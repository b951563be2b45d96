/** The agents a circuit job can run, by name. */
import { Rng } from '../../../simulators/rng.ts';
import { createCmaesAgent, type CmaesConfig } from './cmaes.ts';
import { createDdpgAgent, type DdpgConfig } from './ddpg.ts';
import { createRandomAgent } from './random.ts';
import type { SizingAgent } from './types.ts';

export const AGENTS = ['ddpg', 'random', 'cmaes'] as const;
export type AgentName = (typeof AGENTS)[number];

export const AGENT_SUMMARY: Record<AgentName, string> = {
  ddpg: 'DDPG as in L2DC: actor-critic MLPs (TensorFlow.js), replay buffer, decaying truncated-normal noise shaped by its best designs, self-imitation of its best designs',
  random: 'random search: uniform designs in the variable box (baseline)',
  cmaes: 'CMA-ES: covariance matrix adaptation evolution strategy (baseline)',
};

/**
 * A fresh agent for one run. `config` overrides the agent's documented defaults (DDPG_DEFAULTS,
 * CMAES_DEFAULTS); the bench uses it to measure variants, jobs run the defaults.
 */
export async function createAgent(
  name: AgentName,
  opts: { dims: number; budget: number; seed: number; config?: Record<string, unknown> },
): Promise<SizingAgent> {
  // One Rng per run, derived from the seed; every agent draws from it alone.
  const rng = new Rng(opts.seed);
  const ctx = { dims: opts.dims, budget: opts.budget, seed: opts.seed, rng };
  switch (name) {
    case 'ddpg':
      return createDdpgAgent(ctx, opts.config as Partial<DdpgConfig> | undefined);
    case 'random':
      return createRandomAgent(ctx);
    case 'cmaes':
      return createCmaesAgent(ctx, opts.config as Partial<CmaesConfig> | undefined);
  }
}
