/** Maps values to [0, 1] per axis (log10 first where asked). */
export function normalise(values: number[], log: boolean): (v: number) => number {
  const t = (v: number) => (log ? Math.log10(Math.max(v, 1e-300)) : v);
  const f = values.filter(Number.isFinite).map(t);
  const lo = Math.min(...f);
  const hi = Math.max(...f);
  const span = hi - lo || 1;
  return (v: number) => (Number.isFinite(v) ? (t(v) - lo) / span : 0);
}
