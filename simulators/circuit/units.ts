/**
 * SPICE numbers: `12u`, `291k`, `1meg`, `100f`, `2.5`, `1e-6`, `10uF` (trailing unit letters ignored,
 * as SPICE does). Parsing is case-insensitive; `m` is milli and `meg`/`x` is mega.
 */

const SUFFIX: [string, number][] = [
  ['meg', 6],
  ['t', 12],
  ['g', 9],
  ['x', 6],
  ['k', 3],
  ['m', -3],
  ['u', -6],
  ['µ', -6],
  ['n', -9],
  ['p', -12],
  ['f', -15],
  ['a', -18],
];

const NUMBER_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:e([+-]?\d+))?([a-zµ]*)$/i;

/** Parses a SPICE number; returns null when the text is not one. Decimal-exact (`5.8u` is 5.8e-6). */
export function parseSpiceNumber(text: string): number | null {
  const m = NUMBER_RE.exec(text.trim());
  if (!m) return null;
  let exp = m[2] ? Number(m[2]) : 0;
  const rest = m[3].toLowerCase();
  if (rest.startsWith('mil')) return Number(m[1]) * 10 ** exp * 25.4e-6;
  for (const [s, e] of SUFFIX) {
    if (rest.startsWith(s)) {
      exp += e;
      break;
    }
  }
  // Unit letters without a scale (`10v`, `5ohm`, `1hz`) are ignored, as SPICE does.
  const x = Number(`${m[1]}e${exp}`);
  return Number.isFinite(x) ? x : null;
}

/** Formats a number for a netlist: exact round trip (shortest repr), plain exponent notation. */
export function formatSpiceNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} into a netlist`);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential().replace('e+', 'e');
  return String(x);
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
