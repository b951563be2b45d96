/** The agents a circuit job can run, by name. */
import { Rng } from '../../../simulators/rng.ts';
import { createCmaesAgent } from './cmaes.ts';
import { createDdpgAgent } from './ddpg.ts';
import { createRandomAgent } from './random.ts';
import type { SizingAgent } from './types.ts';

export const AGENTS = ['ddpg', 'random', 'cmaes'] as const;
export type AgentName = (typeof AGENTS)[number];

export const AGENT_SUMMARY: Record<AgentName, string> = {
  ddpg: 'DDPG as in L2DC: actor-critic MLPs (TensorFlow.js), replay buffer, decaying truncated-normal noise',
  random: 'random search: uniform designs in the variable box (baseline)',
  cmaes: 'CMA-ES: covariance matrix adaptation evolution strategy (baseline)',
};

export async function createAgent(name: AgentName, opts: { dims: number; budget: number; seed: number }): Promise<SizingAgent> {
  // One Rng per run, derived from the seed; every agent draws from it alone.
  const rng = new Rng(opts.seed);
  const ctx = { dims: opts.dims, budget: opts.budget, seed: opts.seed, rng };
  switch (name) {
    case 'ddpg':
      return createDdpgAgent(ctx);
    case 'random':
      return createRandomAgent(ctx);
    case 'cmaes':
      return createCmaesAgent(ctx);
  }
}
