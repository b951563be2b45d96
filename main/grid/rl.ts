import type { RlRunner } from './reconfigure.ts';
export const runRl: RlRunner = async () => {
  throw new Error('not yet');
};
