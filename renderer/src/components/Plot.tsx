/**
 * A small SVG plot for lines, steps and scatter points, written for live runs: it redraws from
 * arrays (thinned to the pixel width), so a few thousand points per series stay cheap.
 */
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { num, si } from '../format.ts';

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  /** 'line' (default), 'step' (best-so-far), or 'points'. */
  mode?: 'line' | 'step' | 'points';
  dashed?: boolean;
}

export interface Band {
  /** Shaded y-range, e.g. the feasible region of a constraint. */
  from: number;
  to: number;
  label?: string;
  color?: string;
}

export interface Marker {
  x: number;
  label: string;
  color?: string;
}

export interface PlotPoint {
  x: number;
  y: number;
  key: string | number;
  color?: string;
  title?: string;
}

export interface PlotProps {
  series?: Series[];
  points?: PlotPoint[];
  selectedKey?: string | number | null;
  onSelect?: (key: string | number) => void;
  onHover?: (key: string | number | null) => void;
  bands?: Band[];
  hlines?: { y: number; label?: string; color?: string }[];
  markers?: Marker[];
  xLabel?: string;
  yLabel?: string;
  xUnit?: string;
  yUnit?: string;
  logY?: boolean;
  logX?: boolean;
  height?: number;
  title?: ReactNode;
  emptyText?: string;
  ariaLabel?: string;
  testId?: string;
}

const PAD = { l: 58, r: 14, t: 10, b: 34 };

export function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(480);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const cw = Math.floor(entries[0].contentRect.width);
      if (cw > 0) setW((old) => (Math.abs(old - cw) >= 2 ? cw : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const span = hi - lo;
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const norm = raw / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function logTicks(lo: number, hi: number): number[] {
  const decades = Math.log10(hi / lo);
  // Few decades: 1-2-5 steps; many: powers of ten only.
  const mults = decades < 1.5 ? [1, 2, 5] : decades < 4 ? [1, 3] : [1];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of mults) {
      const v = m * Math.pow(10, e);
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  return out.length >= 2 ? out : [lo, Math.sqrt(lo * hi), hi];
}

function fmtTick(v: number, unit?: string): string {
  if (unit) return si(v, '', 3);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return si(v, '', 3);
  return num(v, 4);
}

/** Keeps at most ~2 points per pixel column (min and max), preserving the shape of the line. */
function thin(points: readonly (readonly [number, number])[], maxN: number): readonly (readonly [number, number])[] {
  if (points.length <= maxN) return points;
  const stride = Math.ceil(points.length / maxN);
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < points.length; i += stride) {
    let lo = points[i];
    let hi = points[i];
    for (let j = i; j < Math.min(points.length, i + stride); j++) {
      if (points[j][1] < lo[1]) lo = points[j];
      if (points[j][1] > hi[1]) hi = points[j];
    }
    if (lo[0] <= hi[0]) out.push(lo, hi);
    else out.push(hi, lo);
  }
  out.push(points[points.length - 1]);
  return out;
}

const PALETTE = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)', 'var(--c6)'];

export function Plot(props: PlotProps) {
  const { series = [], points = [], bands = [], markers = [], hlines = [], height = 220 } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<PlotPoint | null>(null);
  const clipId = `clip${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const iw = Math.max(40, width - PAD.l - PAD.r);
  const ih = Math.max(40, height - PAD.t - PAD.b);

  const tx = (v: number) => (props.logX ? Math.log10(Math.max(v, 1e-300)) : v);
  const ty = (v: number) => (props.logY ? Math.log10(Math.max(v, 1e-300)) : v);

  const dom = useMemo(() => {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    const take = (x: number, y: number) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      if (props.logY && y <= 0) return;
      if (props.logX && x <= 0) return;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    };
    for (const s of series) for (const [x, y] of s.points) take(x, y);
    for (const p of points) take(p.x, p.y);
    const hasData = x0 <= x1;
    for (const h of hlines) if (Number.isFinite(h.y) && (!props.logY || h.y > 0) && hasData) {
      y0 = Math.min(y0, h.y);
      y1 = Math.max(y1, h.y);
    }
    if (!hasData) return null;
    if (x0 === x1) {
      const d = Math.abs(x0) * 0.1 || 1;
      x0 = props.logX ? x0 / 1.5 : x0 - d;
      x1 = props.logX ? x1 * 1.5 : x1 + d;
    }
    if (props.logY) {
      if (y0 === y1) {
        y0 /= 2;
        y1 *= 2;
      } else {
        const f = Math.pow(y1 / y0, 0.06);
        y0 /= f;
        y1 *= f;
      }
      return { x0, x1, y0, y1 };
    }
    if (y0 === y1) {
      const d = Math.abs(y0) * 0.1 || 1;
      y0 -= d;
      y1 += d;
    } else {
      const d = (y1 - y0) * 0.06;
      y0 -= d;
      y1 += d;
    }
    return { x0, x1, y0, y1 };
  }, [series, points, hlines, props.logY, props.logX]);

  if (!dom) {
    return (
      <div className="plot plot-empty" ref={ref} style={{ height }} data-testid={props.testId}>
        {props.title && <div className="plot-title">{props.title}</div>}
        <div className="muted">{props.emptyText ?? 'Waiting for data…'}</div>
      </div>
    );
  }

  const X0 = tx(dom.x0), X1 = tx(dom.x1), Y0 = ty(dom.y0), Y1 = ty(dom.y1);
  const sx = (v: number) => PAD.l + ((tx(v) - X0) / (X1 - X0 || 1)) * iw;
  const sy = (v: number) => PAD.t + ih - ((ty(v) - Y0) / (Y1 - Y0 || 1)) * ih;
  const clampY = (v: number) => Math.min(PAD.t + ih, Math.max(PAD.t, v));
  const xt = props.logX ? logTicks(dom.x0, dom.x1) : niceTicks(dom.x0, dom.x1, Math.max(2, Math.floor(iw / 90)));
  const yt = props.logY ? logTicks(dom.y0, dom.y1) : niceTicks(dom.y0, dom.y1, Math.max(2, Math.floor(ih / 40)));

  const paths = series.map((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const finite = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!props.logY || y > 0) && (!props.logX || x > 0));
    const pts = s.mode === 'points' ? (finite.length > 20000 ? finite.filter((_, k) => k % Math.ceil(finite.length / 20000) === 0) : finite) : thin(finite, iw * 2);
    if (s.mode === 'points') {
      // One path of zero-length round-capped segments: thousands of dots for the price of one element.
      let dots = '';
      for (const [x, y] of pts) dots += `M${sx(x).toFixed(1)},${sy(y).toFixed(1)}h0`;
      return <path key={s.name} d={dots} stroke={color} strokeWidth={4.5} strokeLinecap="round" opacity={0.7} fill="none" />;
    }
    let d = '';
    pts.forEach(([x, y], k) => {
      const X = sx(x).toFixed(1), Y = sy(y).toFixed(1);
      if (k === 0) d += `M${X},${Y}`;
      else if (s.mode === 'step') d += `H${X}V${Y}`;
      else d += `L${X},${Y}`;
    });
    if (s.mode === 'step' && pts.length) d += `H${(PAD.l + iw).toFixed(1)}`;
    return <path key={s.name} d={d} fill="none" stroke={color} strokeWidth={1.8} strokeDasharray={s.dashed ? '5 4' : undefined} />;
  });

  return (
    <div className="plot" ref={ref} data-testid={props.testId}>
      {props.title && <div className="plot-title">{props.title}</div>}
      <svg width={width} height={height} role="img" aria-label={props.ariaLabel ?? (typeof props.title === 'string' ? props.title : 'chart')}>
        <defs>
          <clipPath id={clipId}>
            <rect x={PAD.l} y={PAD.t} width={iw} height={ih} />
          </clipPath>
        </defs>
        {bands.map((b, i) => {
          const ya = clampY(sy(Math.max(Math.min(b.from, b.to), props.logY ? 1e-300 : -Infinity)));
          const yb = clampY(sy(Math.max(b.from, b.to)));
          const top = Math.min(ya, yb);
          const h = Math.abs(ya - yb);
          return h > 0 ? (
            <g key={`b${i}`}>
              <rect x={PAD.l} y={top} width={iw} height={h} fill={b.color ?? 'var(--ok-bg)'} />
              {b.label && (
                <text x={PAD.l + iw - 4} y={top + 12} textAnchor="end" className="plot-band-label">
                  {b.label}
                </text>
              )}
            </g>
          ) : null;
        })}
        {yt.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.l} x2={PAD.l + iw} y1={sy(v)} y2={sy(v)} className="grid-line" />
            <text x={PAD.l - 6} y={sy(v) + 4} textAnchor="end" className="tick">
              {fmtTick(v, props.yUnit)}
            </text>
          </g>
        ))}
        {xt.map((v) => (
          <g key={`x${v}`}>
            <line x1={sx(v)} x2={sx(v)} y1={PAD.t + ih} y2={PAD.t + ih + 4} className="axis-line" />
            <text x={sx(v)} y={PAD.t + ih + 16} textAnchor="middle" className="tick">
              {fmtTick(v, props.xUnit)}
            </text>
          </g>
        ))}
        <line x1={PAD.l} x2={PAD.l + iw} y1={PAD.t + ih} y2={PAD.t + ih} className="axis-line" />
        <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={PAD.t + ih} className="axis-line" />
        {hlines.map((h, i) =>
          Number.isFinite(h.y) && h.y >= dom.y0 && h.y <= dom.y1 ? (
            <g key={`h${i}`}>
              <line x1={PAD.l} x2={PAD.l + iw} y1={sy(h.y)} y2={sy(h.y)} stroke={h.color ?? 'var(--warn)'} strokeDasharray="6 4" strokeWidth={1.4} />
              {h.label && (
                <text x={PAD.l + 4} y={sy(h.y) - 4} className="plot-band-label">
                  {h.label}
                </text>
              )}
            </g>
          ) : null,
        )}
        <g clipPath={`url(#${clipId})`}>{paths}</g>
        {markers.map((m, i) =>
          m.x >= dom.x0 && m.x <= dom.x1 ? (
            <g key={`m${i}`}>
              <line x1={sx(m.x)} x2={sx(m.x)} y1={PAD.t} y2={PAD.t + ih} stroke={m.color ?? 'var(--ok)'} strokeWidth={1.4} strokeDasharray="3 3" />
              <text x={sx(m.x) + 4} y={PAD.t + 11} className="plot-marker-label" fill={m.color ?? 'var(--ok)'}>
                {m.label}
              </text>
            </g>
          ) : null,
        )}
        {points.length > 0 && (
          <g>
            {points.map((p) => {
              const sel = p.key === props.selectedKey;
              return (
                <circle
                  key={p.key}
                  cx={sx(p.x)}
                  cy={sy(p.y)}
                  r={sel ? 6.5 : 4.5}
                  className={`plot-pt${sel ? ' selected' : ''}`}
                  fill={p.color ?? 'var(--accent)'}
                  data-key={String(p.key)}
                  tabIndex={props.onSelect ? 0 : undefined}
                  role={props.onSelect ? 'button' : undefined}
                  aria-label={p.title}
                  onMouseEnter={() => {
                    setHover(p);
                    props.onHover?.(p.key);
                  }}
                  onMouseLeave={() => {
                    setHover(null);
                    props.onHover?.(null);
                  }}
                  onClick={() => props.onSelect?.(p.key)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      props.onSelect?.(p.key);
                    }
                  }}
                />
              );
            })}
          </g>
        )}
        {props.xLabel && (
          <text x={PAD.l + iw / 2} y={height - 4} textAnchor="middle" className="axis-label">
            {props.xLabel}
          </text>
        )}
        {props.yLabel && (
          <text transform={`translate(12 ${PAD.t + ih / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
            {props.yLabel}
          </text>
        )}
      </svg>
      {hover?.title && (
        <div className="plot-tip" style={{ left: Math.min(width - 200, sx(hover.x) + 10), top: sy(hover.y) + 10 }}>
          {hover.title.split('\n').map((l, i) => (
            <div key={i}>{l}</div>
          ))}
        </div>
      )}
      {series.length > 1 && (
        <div className="legend">
          {series.map((s, i) => (
            <span key={s.name}>
              <i style={{ background: s.color ?? PALETTE[i % PALETTE.length] }} className={s.mode === 'points' ? 'dot' : s.dashed ? 'dashed' : ''} />
              {s.name}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
