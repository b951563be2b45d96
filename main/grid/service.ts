/**
 * The grid workbench's DomainService: opens MATPOWER cases (.m), lists the bundled feeders of
 * resources/grid/, and inspects a case (one-line diagram data, base power flow, switches, warnings).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { registerDomain, type DomainService } from '../domains.ts';
import type { Example, Inspection } from '../../contract/api.ts';
import { parseCase } from '../../simulators/grid/network.ts';
import { inspectCase } from '../../simulators/grid/inspect.ts';

const DESCRIPTIONS: Record<string, string> = {
  case33bw: 'Baran & Wu 33-bus, 12.66 kV, 5 ties; optimum 139.55 kW (base 202.68 kW)',
  case69_ties: 'Baran & Wu 69-bus, 12.66 kV, 5 ties; optimum 98.60 kW (base 224.99 kW)',
  case84tpc: 'Taiwan Power Co. 84-bus, 11.4 kV, 11 feeders, 13 ties (base 532.0 kW)',
  case118zh: 'Zhang et al. 118-bus, 11 kV, 15 ties (base 1298.1 kW, base violates 0.9 p.u.)',
  case136ma: 'Mantovani et al. 136-bus, 13.8 kV, 21 ties (base 320.4 kW)',
};

export function gridResourcesDir(): string {
  return fileURLToPath(new URL('../../resources/grid/', import.meta.url));
}

export const gridService: DomainService = {
  domain: 'grid',
  extensions: ['.m'],
  examples(): Example[] {
    const dir = gridResourcesDir();
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.m'))
      .sort((a, b) => (parseInt(a.replace(/\D/g, ''), 10) || 0) - (parseInt(b.replace(/\D/g, ''), 10) || 0))
      .map((f) => {
        const name = f.replace(/\.m$/, '');
        return { id: `grid/${name}`, domain: 'grid' as const, title: name, description: DESCRIPTIONS[name] ?? 'MATPOWER distribution case', file: join(dir, f) };
      });
  },
  inspect(name: string, text: string): Inspection {
    const c = parseCase(text, name);
    const d = inspectCase(c);
    const facts: Record<string, string | number> = {
      buses: d.buses.length,
      branches: d.branches.length,
      switches: d.switches,
      'branches to open (loops)': d.loops,
      'open in case': d.baseOpenBranches.join(', ') || 'none',
      'base loss kW': d.baseLossKw === null ? 'no solution' : Number(d.baseLossKw.toFixed(3)),
      'lowest voltage p.u.': d.baseMinVoltagePu === null ? '-' : `${d.baseMinVoltagePu.toFixed(4)} (bus ${d.baseMinVoltageBus})`,
      'total load kW': Number(d.totalLoadKw.toFixed(1)),
      'base kV': d.baseKv,
      'base MVA': d.baseMva,
    };
    return { domain: 'grid', name, text, title: `${d.caseName} (${d.buses.length} buses, ${d.loops} ties)`, facts, details: d };
  },
  jobModule: new URL('./job.ts', import.meta.url),
};

registerDomain(gridService);
