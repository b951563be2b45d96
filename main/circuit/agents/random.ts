/** Random search: uniform points of the design box (in each variable's own scale). The baseline. */
import { uniformPoint } from './common.ts';
import type { AgentContext, SizingAgent } from './types.ts';

export function createRandomAgent(ctx: AgentContext): SizingAgent {
  return {
    name: 'random',
    backend: 'none',
    ask: (n) => Array.from({ length: n }, () => uniformPoint(ctx.rng, ctx.dims)),
    tell: () => {},
    stats: () => ({}),
    dispose: () => {},
  };
}
