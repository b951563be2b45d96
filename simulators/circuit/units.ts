/**
 * SPICE numbers: `12u`, `291k`, `1meg`, `100f`, `2.5`, `1e-6`, `10uF` (trailing unit letters ignored,
 * as SPICE does). Parsing is case-insensitive; `m` is milli and `meg`/`x` is mega.
 */

const SUFFIX: [string, number][] = [
  ['meg', 1e6],
  ['mil', 25.4e-6],
  ['t', 1e12],
  ['g', 1e9],
  ['x', 1e6],
  ['k', 1e3],
  ['m', 1e-3],
  ['u', 1e-6],
  ['µ', 1e-6],
  ['n', 1e-9],
  ['p', 1e-12],
  ['f', 1e-15],
  ['a', 1e-18],
];

const NUMBER_RE = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-zµ]*)$/i;

/** Parses a SPICE number; returns null when the text is not one. */
export function parseSpiceNumber(text: string): number | null {
  const m = NUMBER_RE.exec(text.trim());
  if (!m) return null;
  const base = Number(m[1]);
  if (!Number.isFinite(base)) return null;
  const rest = m[2].toLowerCase();
  if (rest === '') return base;
  for (const [s, f] of SUFFIX) if (rest.startsWith(s)) return base * f;
  // Unit letters without a scale (e.g. `10v`, `5ohm`, `1hz`): SPICE ignores them.
  return base;
}

/** Formats a number for a netlist: exact round trip (shortest repr), plain exponent notation. */
export function formatSpiceNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} into a netlist`);
  return String(x).replace('e+', 'e');
}

/** Engineering notation for humans (`12u`, `291k`, `1.3694m`), `digits` significant digits. */
export function formatEng(x: number, digits = 5): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const exps: [number, string][] = [
    [12, 'T'],
    [9, 'G'],
    [6, 'M'],
    [3, 'k'],
    [0, ''],
    [-3, 'm'],
    [-6, 'u'],
    [-9, 'n'],
    [-12, 'p'],
    [-15, 'f'],
    [-18, 'a'],
  ];
  const e = Math.floor(Math.log10(Math.abs(x)));
  for (const [p, s] of exps) {
    if (e >= p) return `${Number((x / 10 ** p).toPrecision(digits))}${s}`;
  }
  return x.toExponential(digits - 1);
}
