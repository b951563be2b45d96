import type { DomainUi } from '../types.ts';

export const mipUi: DomainUi = {
  domain: 'mip',
  label: 'mip',
  options: [{ key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0 }],
};
