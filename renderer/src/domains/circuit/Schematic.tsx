/**
 * Schematic of a circuit drawn from the engine's CircuitSchematic: elkjs lays the devices out in
 * layers (signal flowing left to right, orthogonal wires), and each device gets its usual symbol.
 * Ground and supply nets are drawn as local symbols/labels instead of long wires, as on paper.
 * Devices whose parameters depend on design variables are highlighted with their variables.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { CircuitSchematic, SchematicDevice } from '../../../../contract/circuit-schematic.ts';
import { si } from '../../format.ts';
import { useWidth } from '../../components/Plot.tsx';

type Side = 'NORTH' | 'SOUTH' | 'WEST' | 'EAST';
interface Pin {
  index: number;
  x: number;
  y: number;
  side: Side;
}
interface Shape {
  w: number;
  h: number;
  /** Symbol width (the label sits to its right). */
  sw: number;
  pins: Pin[];
}

const SUPPLY = /^(vdd|vcc|vss|vee|avdd|avss|dvdd|dvss|vpp|vnn|vsup|vpos|vneg)\w*$/i;

function labelLines(d: SchematicDevice, values?: Record<string, number>): string[] {
  const lines = [d.name];
  const p = d.params;
  const show = (k: string) => {
    const raw = p[k];
    if (raw === undefined) return null;
    const v = values?.[raw] ?? values?.[raw.replace(/^'|'$/g, '')];
    return v !== undefined ? si(v, '', 3) : raw.replace(/^'|'$/g, '');
  };
  if (d.type === 'nmos' || d.type === 'pmos') {
    const w = show('w');
    const l = show('l');
    if (w || l) lines.push(`${w ?? '?'} / ${l ?? '?'}`);
    // The model name is in the device's tooltip: it would widen every column of the drawing.
  } else if (p.value !== undefined) {
    lines.push(show('value') ?? '');
  } else if (d.model) lines.push(d.model);
  return lines;
}

function shapeOf(d: SchematicDevice, labelW: number): Shape {
  switch (d.type) {
    case 'nmos':
    case 'npn':
      return { w: 46 + labelW, h: 60, sw: 46, pins: [{ index: 0, x: 34, y: 0, side: 'NORTH' }, { index: 1, x: 0, y: 30, side: 'WEST' }, { index: 2, x: 34, y: 60, side: 'SOUTH' }] };
    case 'pmos':
    case 'pnp':
      // Source on top (towards the positive supply), drain at the bottom.
      return { w: 46 + labelW, h: 60, sw: 46, pins: [{ index: 0, x: 34, y: 60, side: 'SOUTH' }, { index: 1, x: 0, y: 30, side: 'WEST' }, { index: 2, x: 34, y: 0, side: 'NORTH' }] };
    case 'r':
    case 'c':
    case 'l':
    case 'd':
      return { w: 26 + labelW, h: 56, sw: 26, pins: [{ index: 0, x: 13, y: 0, side: 'NORTH' }, { index: 1, x: 13, y: 56, side: 'SOUTH' }] };
    case 'v':
    case 'i':
      return { w: 36 + labelW, h: 60, sw: 36, pins: [{ index: 0, x: 18, y: 0, side: 'NORTH' }, { index: 1, x: 18, y: 60, side: 'SOUTH' }] };
    default: {
      const n = d.nodes.length;
      const h = Math.max(40, Math.ceil(n / 2) * 20 + 10);
      const pins: Pin[] = d.nodes.map((_, i) => (i % 2 === 0 ? { index: i, x: 0, y: 15 + Math.floor(i / 2) * 20, side: 'WEST' as Side } : { index: i, x: 50, y: 15 + Math.floor(i / 2) * 20, side: 'EAST' as Side }));
      return { w: 50 + labelW, h, sw: 50, pins };
    }
  }
}

/** Drawn pins of a device: MOS bulk is left out (tied to source or a supply in nearly every design). */
function drawnPins(d: SchematicDevice, shape: Shape): Pin[] {
  return shape.pins.filter((p) => p.index < d.nodes.length);
}

/**
 * Which pin a net's wires start from. The layout flows top to bottom (positive supply at the top,
 * as on paper), so a net starts at a pin on the bottom side of its device; gates come last.
 */
function pinRank(d: SchematicDevice, pin: Pin): number {
  if (pin.side === 'SOUTH') return 0;
  if (pin.side === 'EAST') return 1;
  if (pin.side === 'NORTH') return 2;
  return d.type === 'nmos' || d.type === 'pmos' ? 4 : 3;
}

interface Laid {
  width: number;
  height: number;
  nodes: { d: SchematicDevice; x: number; y: number; shape: Shape; lines: string[] }[];
  wires: { net: string; points: [number, number][][]; junctions: [number, number][] }[];
  netLabels: { net: string; x: number; y: number }[];
  globals: { net: string; x: number; y: number; side: Side; kind: 'ground' | 'supply' }[];
}

type ElkInstance = { layout: (g: ElkNode) => Promise<ElkNode> };
let elkPromise: Promise<ElkInstance> | null = null;
/** elkjs is large: load it on first use, in its own chunk. */
function getElk(): Promise<ElkInstance> {
  elkPromise ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default() as unknown as ElkInstance);
  return elkPromise;
}

async function layout(s: CircuitSchematic): Promise<Laid> {
  const ground = s.ground || '0';
  const isGlobal = (n: string) => n === ground || n === 'gnd' || SUPPLY.test(n);
  const byName = new Map(s.devices.map((d) => [d.name, d]));
  const children: ElkNode[] = [];
  const shapes = new Map<string, { shape: Shape; lines: string[] }>();
  for (const d of s.devices) {
    const lines = labelLines(d);
    const labelW = Math.max(...lines.map((l) => l.length)) * 5.9 + 6;
    const shape = shapeOf(d, labelW);
    shapes.set(d.name, { shape, lines });
    const ports: ElkPort[] = drawnPins(d, shape).map((p) => ({
      id: `${d.name}#${p.index}`,
      x: p.x,
      y: p.y,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': p.side },
    }));
    children.push({ id: d.name, width: shape.w, height: shape.h, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } });
  }
  // Nets: a star from the driving pin to every other pin (ELK merges them into hyperedges).
  const pinsOfNet = new Map<string, { dev: string; index: number; rank: number }[]>();
  for (const d of s.devices) {
    const shape = shapes.get(d.name)!.shape;
    for (const p of drawnPins(d, shape)) {
      const net = d.nodes[p.index];
      if (net === undefined || isGlobal(net)) continue;
      const list = pinsOfNet.get(net) ?? [];
      list.push({ dev: d.name, index: p.index, rank: pinRank(d, p) });
      pinsOfNet.set(net, list);
    }
  }
  const edges: ElkExtendedEdge[] = [];
  for (const [net, pins] of pinsOfNet) {
    if (pins.length < 2) continue;
    const sorted = [...pins].sort((a, b) => a.rank - b.rank);
    const src = sorted[0];
    sorted.slice(1).forEach((t, k) => edges.push({ id: `${net}~${k}`, sources: [`${src.dev}#${src.index}`], targets: [`${t.dev}#${t.index}`] }));
  }
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '22',
      'elk.spacing.edgeNode': '12',
      'elk.spacing.edgeEdge': '7',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.semiInteractive': 'false',
      'elk.padding': '[top=28,left=28,bottom=28,right=28]',
    },
    children,
    edges,
  };
  const out = await (await getElk()).layout(graph);
  const nodes: Laid['nodes'] = [];
  const pos = new Map<string, { x: number; y: number }>();
  for (const c of out.children ?? []) {
    const d = byName.get(c.id)!;
    const { shape, lines } = shapes.get(c.id)!;
    nodes.push({ d, x: c.x ?? 0, y: c.y ?? 0, shape, lines });
    pos.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  }
  const wireMap = new Map<string, Laid['wires'][number]>();
  const netLabels: Laid['netLabels'] = [];
  for (const e of (out.edges ?? []) as ElkExtendedEdge[]) {
    const net = e.id.slice(0, e.id.lastIndexOf('~'));
    let w = wireMap.get(net);
    if (!w) {
      w = { net, points: [], junctions: [] };
      wireMap.set(net, w);
    }
    for (const sec of e.sections ?? []) {
      w.points.push([[sec.startPoint.x, sec.startPoint.y], ...(sec.bendPoints ?? []).map((b) => [b.x, b.y] as [number, number]), [sec.endPoint.x, sec.endPoint.y]]);
    }
    const jp = (e as unknown as { junctionPoints?: { x: number; y: number }[] }).junctionPoints;
    for (const j of jp ?? []) w.junctions.push([j.x, j.y]);
  }
  for (const w of wireMap.values()) {
    // Label each net once, on its longest horizontal segment.
    let best: { x: number; y: number; len: number } | null = null;
    for (const pts of w.points)
      for (let i = 1; i < pts.length; i++) {
        const [x0, y0] = pts[i - 1];
        const [x1, y1] = pts[i];
        if (Math.abs(y0 - y1) < 0.5 && Math.abs(x1 - x0) > (best?.len ?? 18)) best = { x: Math.min(x0, x1) + 4, y: y0 - 4, len: Math.abs(x1 - x0) };
      }
    if (!best) {
      const p = w.points[0]?.[0];
      if (p) best = { x: p[0] + 4, y: p[1] - 4, len: 0 };
    }
    if (best) netLabels.push({ net: w.net, x: best.x, y: best.y });
  }
  // Pins on global nets, and pins of single-pin nets, get local symbols / labels.
  const globals: Laid['globals'] = [];
  for (const n of nodes) {
    for (const p of drawnPins(n.d, n.shape)) {
      const net = n.d.nodes[p.index];
      if (net === undefined) continue;
      const single = !isGlobal(net) && (pinsOfNet.get(net)?.length ?? 0) < 2;
      if (isGlobal(net) || single) {
        globals.push({ net, x: n.x + p.x, y: n.y + p.y, side: p.side, kind: net === ground || net === 'gnd' ? 'ground' : 'supply' });
      }
    }
  }
  return { width: out.width ?? 400, height: out.height ?? 300, nodes, wires: [...wireMap.values()], netLabels, globals };
}

function Symbol({ d, shape }: { d: SchematicDevice; shape: Shape }) {
  switch (d.type) {
    case 'nmos':
    case 'pmos': {
      const p = d.type === 'pmos';
      const drainY = p ? 42 : 18;
      const sourceY = p ? 18 : 42;
      return (
        <g>
          <path d={`M0,30 H${p ? 12 : 17} M18,16 V44 M24,13 V21 M24,26 V34 M24,39 V47 M24,18 H34 V0 M24,42 H34 V60 M24,30 H34 V${sourceY}`} />
          {p && <circle cx={15} cy={30} r={3} className="sym-fill" />}
          {/* arrow on the source: out of the channel for NMOS, into it for PMOS */}
          {p ? <path d={`M25,${sourceY} l6,-3 v6 z`} className="sym-solid" /> : <path d={`M33,${sourceY} l-6,-3 v6 z`} className="sym-solid" />}
          <circle cx={34} cy={drainY} r={0.01} />
        </g>
      );
    }
    case 'npn':
    case 'pnp':
      return <path d="M0,30 H16 M16,16 V44 M16,24 L34,12 V0 M16,36 L34,48 V60" />;
    case 'r':
      return <path d="M13,0 V12 l6,2.7 l-12,5.3 l12,5.3 l-12,5.3 l12,5.3 l-12,5.3 l6,2.8 V56" />;
    case 'c':
      return <path d="M13,0 V24 M2,24 H24 M2,32 H24 M13,32 V56" />;
    case 'l':
      return <path d="M13,0 V12 a5,5 0 0 1 0,8 a5,5 0 0 1 0,8 a5,5 0 0 1 0,8 a5,5 0 0 1 0,8 V56" />;
    case 'd':
      return <path d="M13,0 V18 M4,18 H22 L13,36 Z M4,36 H22 M13,36 V56" />;
    case 'v':
      return (
        <g>
          <path d="M18,0 V16 M18,44 V60" />
          <circle cx={18} cy={30} r={14} className="sym-fill" />
          <path d="M18,20 V28 M14,24 H22 M14,37 H22" />
        </g>
      );
    case 'i':
      return (
        <g>
          <path d="M18,0 V16 M18,44 V60" />
          <circle cx={18} cy={30} r={14} className="sym-fill" />
          <path d="M18,39 V21 M13,27 L18,21 L23,27" />
        </g>
      );
    default:
      return (
        <g>
          <rect x={0} y={0} width={shape.sw} height={shape.h} rx={4} className="sym-fill" />
          <text x={shape.sw / 2} y={shape.h / 2 + 4} textAnchor="middle" className="sch-pin">
            {d.type === 'x' ? 'X' : '?'}
          </text>
        </g>
      );
  }
}

function GlobalMark({ g }: { g: Laid['globals'][number] }) {
  const dir = g.side === 'NORTH' ? -1 : g.side === 'SOUTH' ? 1 : 0;
  const hdir = g.side === 'WEST' ? -1 : g.side === 'EAST' ? 1 : 0;
  const ex = g.x + hdir * 10;
  const ey = g.y + dir * 10;
  if (g.kind === 'ground') {
    const down = dir >= 0;
    return (
      <g className="sch-global">
        <path d={`M${g.x},${g.y} L${ex},${ey}`} />
        {down || hdir !== 0 ? (
          <path d={`M${ex - 7},${ey} H${ex + 7} M${ex - 4.5},${ey + 3} H${ex + 4.5} M${ex - 2},${ey + 6} H${ex + 2}`} />
        ) : (
          <path d={`M${ex - 7},${ey} H${ex + 7} M${ex - 4.5},${ey - 3} H${ex + 4.5} M${ex - 2},${ey - 6} H${ex + 2}`} />
        )}
      </g>
    );
  }
  const up = dir < 0;
  return (
    <g className="sch-global">
      <path d={`M${g.x},${g.y} L${ex},${ey}`} />
      {hdir === 0 ? <path d={`M${ex - 6},${ey} H${ex + 6}`} /> : <path d={`M${ex},${ey - 5} V${ey + 5}`} />}
      <text x={hdir === 0 ? ex + 8 : ex + hdir * 4} y={hdir === 0 ? ey + (up ? -2 : 10) : ey - 7} textAnchor={hdir < 0 ? 'end' : 'start'} className="sch-net global">
        {g.net}
      </text>
    </g>
  );
}

export function Schematic({ schematic, values, highlight }: { schematic: CircuitSchematic; values?: Record<string, number>; highlight?: string | null }) {
  const [laid, setLaid] = useState<Laid | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [fit, setFit] = useState(true);
  const [box, boxW] = useWidth<HTMLDivElement>();
  useEffect(() => {
    let live = true;
    setErr(null);
    layout(schematic)
      .then((l) => live && setLaid(l))
      .catch((e: unknown) => live && setErr(String((e as Error)?.message ?? e)));
    return () => {
      live = false;
    };
  }, [schematic]);
  const lines = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const d of schematic.devices) m.set(d.name, labelLines(d, values));
    return m;
  }, [schematic, values]);

  if (err) return <div className="callout error small">The schematic could not be laid out: {err}</div>;
  // Fit: as large as the box allows (up to 130 %), but never below 75 % (the box scrolls instead).
  const scale = !laid ? 1 : fit ? Math.max(0.75, Math.min(1.3, (boxW - 4) / laid.width, 620 / laid.height)) : 1;
  return (
    <div className="schematic-wrap">
      {!laid && <div className="muted">Laying out the schematic…</div>}
      <div className="row gap small-gap schematic-tools">
        <div className="seg" role="group" aria-label="Zoom">
          <button className={fit ? 'active' : ''} onClick={() => setFit(true)}>
            Fit
          </button>
          <button className={!fit ? 'active' : ''} onClick={() => setFit(false)}>
            100 %
          </button>
        </div>
        <span className="muted small">
          <span className="var-swatch" /> devices sized by design variables
        </span>
      </div>
      <div className="diagram schematic" data-testid="schematic" ref={box}>
        {laid && (
        <svg
          viewBox={`0 0 ${laid.width} ${laid.height}`}
          width={laid.width * scale}
          height={laid.height * scale}
          role="img"
          aria-label={`Schematic with ${schematic.devices.length} devices`}
        >
          <g className="sch-wires">
            {laid.wires.map((w) => (
              <g key={w.net} data-net={w.net}>
                {w.points.map((pts, i) => (
                  <polyline key={i} points={pts.map((p) => p.join(',')).join(' ')} />
                ))}
                {w.junctions.map(([x, y], i) => (
                  <circle key={`j${i}`} cx={x} cy={y} r={2.6} className="sch-junction" />
                ))}
              </g>
            ))}
          </g>
          {laid.netLabels.map((n) => (
            <text key={n.net} x={n.x} y={n.y} className="sch-net">
              {n.net}
            </text>
          ))}
          {laid.globals.map((g, i) => (
            <GlobalMark key={i} g={g} />
          ))}
          {laid.nodes.map((n) => {
            const isVar = n.d.variables.length > 0;
            const hl = highlight && n.d.variables.includes(highlight);
            const ls = lines.get(n.d.name) ?? n.lines;
            return (
              <g key={n.d.name} transform={`translate(${n.x},${n.y})`} className={`sch-dev${isVar ? ' var' : ''}${hl ? ' hl' : ''}`} data-device={n.d.name}>
                <title>
                  {`${n.d.name} (${n.d.type}${n.d.model ? ' ' + n.d.model : ''})\nnodes: ${n.d.nodes.join(' ')}\n${Object.entries(n.d.params)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}${isVar ? '\nvariables: ' + n.d.variables.join(', ') : ''}`}
                </title>
                {isVar && <rect x={-5} y={-5} width={n.shape.sw + 10} height={n.shape.h + 10} rx={6} className="sch-var-bg" />}
                <Symbol d={n.d} shape={n.shape} />
                <text x={n.shape.sw + 4} y={n.shape.h / 2 - (ls.length - 1) * 6.5 + 4} className="sch-label">
                  {ls.map((l, i) => (
                    <tspan key={i} x={n.shape.sw + 4} dy={i === 0 ? 0 : 13} className={i === 0 ? 'sch-name' : isVar && i === 1 ? 'sch-varval' : undefined}>
                      {l}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
        </svg>
        )}
      </div>
    </div>
  );
}
