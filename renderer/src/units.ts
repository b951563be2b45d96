import { si } from './format.ts';
/** Converting SI values to a problem file's display units ('um', 'kOhm', 'fF', ...). */
const PREFIX: Record<string, number> = { f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, µ: 1e-6, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const BASES = ['Ohm', 'ohm', 'Ω', 'Hz', 'm', 'F', 'H', 'A', 'V', 'W', 's', 'S'];

/** Factor f such that value_in_unit = value_SI / f ('um' -> 1e-6, 'kOhm' -> 1e3, '' -> 1). */
export function unitFactor(unit: string): number {
  let u = unit.trim();
  if (!u) return 1;
  const pow = /\^(\d)$/.exec(u) ?? /([²³])$/.exec(u);
  if (pow) {
    const e = pow[1] === '²' ? 2 : pow[1] === '³' ? 3 : Number(pow[1]);
    u = u.slice(0, u.length - pow[0].length);
    return Math.pow(unitFactor(u), e);
  }
  for (const b of BASES) {
    if (u === b) return 1;
    if (u.endsWith(b) && u.length === b.length + 1 && PREFIX[u[0]] !== undefined) return PREFIX[u[0]];
  }
  return 1;
}

/** "12.5 um" from 1.25e-5 and 'um'. */
export function inUnit(valueSI: number | null | undefined, unit: string, digits = 4): string {
  if (valueSI === null || valueSI === undefined || !Number.isFinite(valueSI)) return '–';
  // Areas in m^2 read best in µm² (transistor gate area).
  if (/^m(\^2|²)$/.test(unit.trim())) return `${String(Number((valueSI * 1e12).toPrecision(digits)))} µm²`;
  // A bare SI unit (or none): pick the prefix that reads best.
  if (!unit || BASES.includes(unit.trim())) return si(valueSI, unit.trim(), digits);
  const v = valueSI / unitFactor(unit);
  const s = Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
  return unit ? `${s} ${unit}` : s;
}
