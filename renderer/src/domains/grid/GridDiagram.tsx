/**
 * One-line diagram of a distribution feeder: the substation at the left, buses laid out as the
 * radial tree of the base configuration (depth across, branches down), closed lines solid, open
 * switches dashed, buses coloured by voltage magnitude. Switches that differ from the base
 * configuration are drawn in the accent colour.
 */
import { memo, useMemo } from 'react';
import type { GridInspection } from '../../../../contract/grid.ts';
import { useWidth } from '../../components/Plot.tsx';
import { num } from '../../format.ts';

export function voltageColor(vm: number | null | undefined, vLow: number): string {
  if (vm === null || vm === undefined || !Number.isFinite(vm)) return 'var(--muted)';
  const t = Math.max(0, Math.min(1, (vm - vLow) / (1 - vLow)));
  return `hsl(${Math.round(t * 135)} 72% 44%)`;
}

export const GridDiagram = memo(function GridDiagram({
  g,
  open,
  vmPu,
  baseOpen,
  caption,
}: {
  g: GridInspection;
  open: number[];
  vmPu: (number | null)[] | null;
  baseOpen: number[];
  caption?: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const openSet = useMemo(() => new Set(open), [open]);
  const baseSet = useMemo(() => new Set(baseOpen), [baseOpen]);
  const maxDepth = Math.max(1, ...g.buses.map((b) => b.depth));
  const maxPos = Math.max(0, ...g.buses.map((b) => b.position));
  const padL = 70;
  const padT = 22;
  const dx = Math.max(30, Math.min(80, (width - padL - 40) / maxDepth));
  const dy = maxPos > 40 ? 18 : 26;
  const W = padL + maxDepth * dx + 40;
  const H = padT + maxPos * dy + 34;
  const idx = new Map(g.buses.map((b, i) => [b.id, i]));
  const pos = (busId: number): [number, number] => {
    const b = g.buses[idx.get(busId) ?? -1];
    return b ? [padL + b.depth * dx, padT + b.position * dy] : [0, 0];
  };
  const vLow = Math.min(g.vMinPu ?? 0.9, ...((vmPu ?? g.buses.map((b) => b.vmPu)).filter((v): v is number => v !== null && Number.isFinite(v)))) - 0.005;
  const vmOf = (i: number) => (vmPu ? vmPu[i] ?? null : g.buses[i].vmPu);
  const showLabels = g.buses.length <= 140;

  return (
    <div className="grid-diagram">
      <div className="diagram" ref={ref} data-testid="grid-diagram">
        <svg width={W} height={H} role="img" aria-label={`One-line diagram, ${g.buses.length} buses, ${open.length} open switches`}>
          {g.branches.map((br) => {
            const [x1, y1] = pos(br.fromBus);
            const [x2, y2] = pos(br.toBus);
            const isOpen = openSet.has(br.row);
            const changed = isOpen !== baseSet.has(br.row);
            const fd = g.buses[idx.get(br.fromBus) ?? 0]?.depth ?? 0;
            const td = g.buses[idx.get(br.toBus) ?? 0]?.depth ?? 0;
            const tree = Math.abs(fd - td) === 1 && !baseSet.has(br.row);
            let d: string;
            if (tree) {
              const [px, py, cx, cy] = fd < td ? [x1, y1, x2, y2] : [x2, y2, x1, y1];
              d = `M${px},${py} V${cy} H${cx}`;
            } else {
              // Ties: a bowed curve so they stand apart from the tree.
              const mx = (x1 + x2) / 2 + (y2 - y1) * 0.15 + 14;
              const my = (y1 + y2) / 2 - (x2 - x1) * 0.08 + 10;
              d = `M${x1},${y1} Q${mx},${my} ${x2},${y2}`;
            }
            return (
              <path key={br.row} d={d} className={`gl-branch${isOpen ? ' open' : ''}${changed ? ' changed' : ''}${br.isSwitch ? ' switch' : ''}`} data-row={br.row} data-open={isOpen ? '1' : '0'}>
                <title>{`branch ${br.row}: bus ${br.fromBus} – ${br.toBus}\n${isOpen ? 'OPEN' : 'closed'}${changed ? ' (changed from base)' : ''}\nR ${num(br.rOhm, 4)} Ω, X ${num(br.xOhm, 4)} Ω${br.pFlowKw !== null && !isOpen ? `\nflow ${num(br.pFlowKw, 4)} kW (base)` : ''}`}</title>
              </path>
            );
          })}
          {g.buses.map((b, i) => {
            const [x, y] = pos(b.id);
            const vm = vmOf(i);
            return (
              <g key={b.id} data-bus={b.id}>
                <title>{`bus ${b.id}${b.isSource ? ' (substation)' : ''}\nV = ${vm !== null ? num(vm, 5) + ' p.u.' : 'unsolved'}\nload ${num(b.pLoadKw, 4)} kW + j${num(b.qLoadKvar, 4)} kvar`}</title>
                {b.isSource ? (
                  <g className="gl-source">
                    <rect x={x - 9} y={y - 9} width={18} height={18} rx={2} />
                    <circle cx={x - 22} cy={y} r={7} />
                    <circle cx={x - 31} cy={y} r={7} />
                    <path d={`M${x - 15},${y} H${x - 9}`} />
                    <text x={x - 27} y={y + 22} textAnchor="middle" className="gl-caption">
                      substation
                    </text>
                  </g>
                ) : (
                  <circle cx={x} cy={y} r={b.pLoadKw > 0 ? 5 : 3.5} fill={voltageColor(vm, vLow)} className="gl-bus" />
                )}
                {showLabels && (
                  <text x={x} y={y - 8} textAnchor="middle" className="gl-label">
                    {b.id}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="row gap grid-legend small">
        <span>
          <svg width="26" height="8">
            <path d="M1,4 H25" className="gl-branch" />
          </svg>{' '}
          closed
        </span>
        <span>
          <svg width="26" height="8">
            <path d="M1,4 H25" className="gl-branch open" />
          </svg>{' '}
          open switch
        </span>
        <span>
          <svg width="26" height="8">
            <path d="M1,4 H25" className="gl-branch changed" />
          </svg>{' '}
          changed from base
        </span>
        <span className="vscale">
          {num(vLow + 0.005, 3)} p.u.
          <i />
          1.0 p.u.
        </span>
        {caption && <span className="muted">{caption}</span>}
      </div>
    </div>
  );
}, sameDiagram);

type DiagramProps = { g: GridInspection; open: number[]; vmPu: (number | null)[] | null; baseOpen: number[]; caption?: string };

/** Progress reports bring new arrays with the same values most of the time: compare by value. */
function sameDiagram(a: DiagramProps, b: DiagramProps): boolean {
  const sameArr = <T,>(x: readonly T[] | null, y: readonly T[] | null) => x === y || (!!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]));
  return a.g === b.g && a.caption === b.caption && sameArr(a.open, b.open) && sameArr(a.baseOpen, b.baseOpen) && sameArr(a.vmPu, b.vmPu);
}
