import type { DomainUi } from './types.ts';
import { circuitUi } from './circuit/index.tsx';
import { gridUi } from './grid/index.tsx';
import { mipUi } from './mip/index.tsx';

const SEED = { key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0, help: 'Same seed, same run.' } as const;

export const demoUi: DomainUi = {
  domain: 'circuit',
  label: 'Demo',
  options: [SEED],
};

export const DOMAINS: Record<string, DomainUi> = {
  circuit: circuitUi,
  grid: gridUi,
  mip: mipUi,
};

export function domainUi(kind: string): DomainUi | null {
  return DOMAINS[kind] ?? null;
}
