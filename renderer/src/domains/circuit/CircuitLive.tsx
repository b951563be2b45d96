import { lazy, memo, Suspense, useCallback, useMemo, useState } from 'react';
import type { CircuitConstraintView, CircuitDesign, CircuitInspection, CircuitParetoPoint, CircuitResult } from '../../../../contract/circuit.ts';
import { Card, downloadText } from '../../components/common.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Plot, type PlotPoint } from '../../components/Plot.tsx';
import { normalise } from '../../components/normalise.ts';

// three.js is large: the 3D view loads in its own chunk when first shown.
const Scatter3D = lazy(() => import('../../components/Scatter3D.tsx').then((m) => ({ default: m.Scatter3D })));
import { isNum, isObj, num, si } from '../../format.ts';
import { store, useStore } from '../../state/store.ts';
import { inUnit } from '../../units.ts';
import type { LiveProps } from '../types.ts';
import { emptyAcc, nondominated, type CircuitAcc } from './acc.ts';
import { SpecsTable, VariablesTable, asCircuit, asSchematic } from './CircuitInspect.tsx';
import { Schematic } from './Schematic.tsx';

type Target = { metric: string; sense: 'min' | 'max'; unit: string };

export function CircuitLive({ job, detail, inspection }: LiveProps) {
  useStore();
  const acc = (store.acc.get(job.id) as CircuitAcc | undefined) ?? emptyAcc();
  const c = useMemo(() => asCircuit(inspection), [inspection]);
  const result = isObj(detail?.result) ? (detail!.result as unknown as Partial<CircuitResult>) : null;

  // Constraints and targets: from the problem, else from what the evaluations carry.
  let constraints: CircuitConstraintView[] = c?.constraints ?? [];
  if (!constraints.length) {
    const first = acc.points.find((p) => Array.isArray(p.constraints) && p.constraints.length);
    constraints = (first?.constraints ?? []).map((k) => ({ metric: k.metric, op: k.op, value: k.target, scale: 'lin' as const, unit: '' }));
  }
  const targets: Target[] = useMemo(() => c?.targets.map((t) => ({ metric: t.metric, sense: t.sense, unit: t.unit })) ?? [], [c]);
  const unitOf = useCallback((m: string) => c?.constraints.find((k) => k.metric === m)?.unit ?? c?.targets.find((t) => t.metric === m)?.unit ?? '', [c]);

  // Pareto archive: the result's when the run ended, else the live one.
  const paretoMap = acc.pareto;
  const accVersion = acc.version;
  const resultPareto = result?.paretoDetail;
  const pareto: CircuitParetoPoint[] = useMemo(() => {
    if (Array.isArray(resultPareto) && resultPareto.length) return resultPareto;
    return accVersion >= 0 ? nondominated([...paretoMap.values()], targets) : [];
  }, [paretoMap, accVersion, resultPareto, targets]);
  const best: CircuitDesign | null = (result?.best && isObj(result.best.params) ? result.best : null) ?? acc.last?.best ?? null;
  const reference: CircuitDesign | null = (result?.reference as CircuitDesign | null | undefined) ?? acc.reference ?? null;
  const firstFeasible = result?.firstFeasibleAt ?? acc.firstFeasibleAt;
  const evaluations = result?.simulations ?? acc.last?.evaluations ?? job.progress?.evaluations ?? 0;

  const [sel, setSel] = useState<string | number>('best');
  const bestMeets = !!best && constraints.every((k) => {
    const v = best.metrics?.[k.metric];
    return isNum(v) && (k.op === '>=' ? v >= k.value : v <= k.value);
  });
  const selected: { label: string; design: CircuitDesign } | null =
    sel === 'best' ? (best ? { label: bestMeets ? 'Best design' : 'Least-violating design so far (not feasible)', design: best } : null) : sel === 'ref' ? (reference ? { label: 'Reference design', design: reference } : null) : (() => {
      const p = pareto.find((x) => x.evaluation === sel);
      return p ? { label: `Pareto design #${p.evaluation}`, design: p } : null;
    })();

  return (
    <div className="stack" data-testid="circuit-live">
      <Card
        title="Constraint progress"
        actions={
          <span className="muted small">
            {firstFeasible ? (
              <span className="ok-text" data-testid="first-feasible">
                first feasible design at simulation {firstFeasible}
              </span>
            ) : (
              'no feasible design yet'
            )}
          </span>
        }
        testId="constraint-progress"
      >
        {constraints.length === 0 ? (
          <div className="muted">Waiting for the first simulations…</div>
        ) : (
          <div className="charts">
            {constraints.map((k) => (
              <ConstraintChart key={k.metric} k={k} acc={acc} version={acc.version} firstFeasible={firstFeasible ?? null} />
            ))}
          </div>
        )}
      </Card>

      <div className="two-col">
        <Card title="Best so far" testId="best-chart">
          <Plot
            series={[{ name: 'best score', points: toNow(acc.bestTrace.length ? acc.bestTrace : traceFromResult(result), evaluations), mode: 'step' }]}
            markers={firstFeasible ? [{ x: firstFeasible, label: 'first feasible' }] : []}
            hlines={[{ y: 0, label: 'feasible above 0', color: 'var(--ok)' }]}
            xLabel="simulations"
            yLabel="score (reward)"
            emptyText="No score yet."
          />
        </Card>
        <Card title="Targets of the best design, relative to the reference" testId="targets-chart">
          <Plot
            series={targets.map((t) => {
              const pts = acc.bestMetrics.get(t.metric) ?? [];
              // Each target over its reference value (1 = as good as the reference), so power and area share an axis.
              const ref = c?.targets.find((x) => x.metric === t.metric)?.ref ?? reference?.metrics?.[t.metric] ?? pts[0]?.[1] ?? 1;
              return { name: `${t.metric} (${t.sense}) / ${inUnit(ref, t.unit, 3)}`, points: toNow(pts.map(([x, v]) => [x, ref ? v / ref : v] as [number, number]), evaluations), mode: 'step' as const };
            })}
            hlines={[{ y: 1, label: 'reference', color: 'var(--c2)' }]}
            xLabel="simulations"
            yLabel="value / reference"
            emptyText="Targets are tracked once a design is feasible."
          />
        </Card>
      </div>

      <ParetoCard pareto={pareto} targets={targets} constraints={constraints} best={best} reference={reference} sel={sel} setSel={setSel} unitOf={unitOf} />

      {selected && <SelectedDesign label={selected.label} design={selected.design} c={c} jobTitle={job.title} />}

      {acc.stats.size > 0 && (
        <Card title="Agent internals" testId="agent-stats">
          <div className="charts">
            {[...acc.stats.entries()].map(([k, pts]) => (
              <Plot key={k} title={k} series={[{ name: k, points: pts }]} height={150} xLabel="simulations" />
            ))}
          </div>
        </Card>
      )}
    </div>
  );
}

/** A best-so-far step line ends at the latest simulation, not at the last improvement. */
function toNow(points: [number, number][], now: number): [number, number][] {
  const last = points[points.length - 1];
  return last && now > last[0] ? [...points, [now, last[1]]] : points;
}

function traceFromResult(result: Partial<CircuitResult> | null): [number, number][] {
  if (!result || !Array.isArray(result.trace)) return [];
  const out: [number, number][] = [];
  result.trace.forEach((v, i) => {
    if (isNum(v) && (!out.length || out[out.length - 1][1] !== v)) out.push([i + 1, v]);
  });
  return out;
}

const ConstraintChart = memo(function ConstraintChart({ k, acc, firstFeasible }: { k: CircuitConstraintView; acc: CircuitAcc; version: number; firstFeasible: number | null }) {
  const met: [number, number][] = [];
  const unmet: [number, number][] = [];
  for (const p of acc.points) {
    const st = p.constraints?.find((x) => x.metric === k.metric);
    const v = st?.value ?? p.metrics?.[k.metric];
    if (!isNum(v)) continue;
    const ok = st ? st.met : k.op === '>=' ? v >= k.value : v <= k.value;
    (ok ? met : unmet).push([p.evaluation, v]);
  }
  const all = [...met, ...unmet];
  const logY = k.scale === 'log' && all.length > 0 && all.every(([, v]) => v > 0) && k.value > 0;
  const big = 1e300;
  return (
    <div data-testid="constraint-chart" data-metric={k.metric}>
      <Plot
        title={
          <>
            <span className="mono">{k.metric}</span> {k.op === '>=' ? '≥' : '≤'} {inUnit(k.value, k.unit)}
            <span className="muted"> · {met.length} of {all.length} met</span>
          </>
        }
        series={[
          { name: 'violates', points: unmet, mode: 'points', color: 'var(--muted)' },
          { name: 'meets', points: met, mode: 'points', color: 'var(--ok)' },
        ]}
        bands={[{ from: k.value, to: k.op === '>=' ? big : logY ? 1e-300 : -big, label: 'feasible' }]}
        hlines={[{ y: k.value, label: `target ${inUnit(k.value, k.unit)}` }]}
        markers={firstFeasible ? [{ x: firstFeasible, label: '1st feasible' }] : []}
        logY={logY}
        xLabel="simulations"
        yUnit={k.unit || 'si'}
        height={190}
        emptyText="No simulated value yet."
      />
    </div>
  );
});

function designTitle(label: string, d: CircuitDesign, unitOf: (m: string) => string): string {
  return [label, ...Object.entries(d.metrics ?? {}).map(([k, v]) => `${k} = ${inUnit(v, unitOf(k))}`), ...Object.entries(d.params ?? {}).map(([k, v]) => `${k} = ${si(v, '', 3)}`)].join('\n');
}

function ParetoCard({
  pareto,
  targets,
  constraints,
  best,
  reference,
  sel,
  setSel,
  unitOf,
}: {
  pareto: CircuitParetoPoint[];
  targets: Target[];
  constraints: CircuitConstraintView[];
  best: CircuitDesign | null;
  reference: CircuitDesign | null;
  sel: string | number;
  setSel: (k: string | number) => void;
  unitOf: (m: string) => string;
}) {
  const metrics = useMemo(() => {
    const set = new Set<string>([...targets.map((t) => t.metric), ...constraints.map((k) => k.metric)]);
    for (const p of pareto.slice(0, 5)) for (const k of Object.keys(p.metrics ?? {})) set.add(k);
    return [...set];
  }, [pareto, targets, constraints]);
  const [mode, setMode] = useState<'2d' | '3d'>('2d');
  const [ax, setAx] = useState<string[]>([]);
  const axes = useMemo(() => [0, 1, 2].map((i) => (ax[i] && metrics.includes(ax[i]) ? ax[i] : metrics[i] ?? metrics[0] ?? '')), [ax, metrics]);
  const setAxis = (i: number, m: string) => setAx(axes.map((a, j) => (j === i ? m : a)));

  const pts: PlotPoint[] = pareto
    .filter((p) => isNum(p.metrics?.[axes[0]]) && isNum(p.metrics?.[axes[1]]))
    .map((p) => ({ key: p.evaluation, x: p.metrics[axes[0]], y: p.metrics[axes[1]], title: designTitle(`design #${p.evaluation}`, p, unitOf) }));
  if (reference && isNum(reference.metrics?.[axes[0]]) && isNum(reference.metrics?.[axes[1]]))
    pts.push({ key: 'ref', x: reference.metrics[axes[0]], y: reference.metrics[axes[1]], color: 'var(--c2)', title: designTitle('reference design', reference, unitOf) });
  const allPos = (m: string) => pts.every((p) => (m === axes[0] ? p.x : p.y) > 0);
  const logX = pts.length > 1 && allPos(axes[0]) && spread(pts.map((p) => p.x)) > 30;
  const logY = pts.length > 1 && allPos(axes[1]) && spread(pts.map((p) => p.y)) > 30;

  const points3 = useMemo(() => {
    const list: (CircuitDesign & { key: string | number; color?: string })[] = pareto.map((p) => ({ ...p, key: p.evaluation }));
    if (reference) list.push({ ...reference, key: 'ref', color: '#e8682c' });
    const ok = list.filter((p) => axes.every((a) => isNum(p.metrics?.[a])));
    const logs = axes.map((a) => ok.length > 1 && ok.every((p) => p.metrics[a] > 0) && spread(ok.map((p) => p.metrics[a])) > 30);
    const n = axes.map((a, i) => normalise(ok.map((p) => p.metrics[a]), logs[i]));
    return {
      logs: logs as [boolean, boolean, boolean],
      points: ok.map((p) => ({ key: p.key, x: n[0](p.metrics[axes[0]]), y: n[1](p.metrics[axes[1]]), z: n[2](p.metrics[axes[2]]), color: p.color, title: designTitle(p.key === 'ref' ? 'reference design' : `design #${p.key}`, p, unitOf) })),
    };
  }, [pareto, reference, axes, unitOf]);

  return (
    <Card
      title={`Pareto front (${pareto.length} feasible designs)`}
      testId="pareto-card"
      actions={
        <>
          {[0, 1, ...(mode === '3d' ? [2] : [])].map((i) => (
            <label key={i} className="axis-pick">
              <span className="muted small">{['x', 'y', 'z'][i]}</span>
              <select className="input small" value={axes[i]} onChange={(e) => setAxis(i, e.target.value)} aria-label={`${['x', 'y', 'z'][i]} axis`} data-testid={`pareto-axis-${['x', 'y', 'z'][i]}`}>
                {metrics.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <div className="seg" role="group" aria-label="Pareto view">
            <button className={mode === '2d' ? 'active' : ''} onClick={() => setMode('2d')}>
              2D
            </button>
            <button className={mode === '3d' ? 'active' : ''} onClick={() => setMode('3d')} disabled={metrics.length < 3} data-testid="pareto-3d-toggle">
              3D
            </button>
          </div>
          <button className={`btn small${sel === 'best' ? ' active' : ''}`} onClick={() => setSel('best')} disabled={!best}>
            Best
          </button>
        </>
      }
    >
      {pareto.length === 0 && <div className="muted small">No feasible design yet: the front fills in as they are found.</div>}
      {pareto.length === 0 && !reference ? null : mode === '2d' ? (
        <div data-testid="pareto-2d">
          <Plot points={pts} selectedKey={sel} onSelect={setSel} xLabel={`${axes[0]}${logX ? ' (log)' : ''}`} yLabel={`${axes[1]}${logY ? ' (log)' : ''}`} xUnit="si" yUnit="si" logX={logX} logY={logY} height={300} />
        </div>
      ) : (
        <Suspense fallback={<div className="muted">Loading the 3D view…</div>}>
          <Scatter3D points={points3.points} labels={[axes[0], axes[1], axes[2]]} logAxes={points3.logs} selectedKey={sel} onSelect={setSel} />
        </Suspense>
      )}
      <div className="muted small">Hover a point to see the design, click to select it; orange is the reference design.</div>
    </Card>
  );
}

function spread(v: number[]): number {
  const f = v.filter((x) => x > 0);
  return f.length ? Math.max(...f) / Math.min(...f) : 1;
}

function paramInclude(d: CircuitDesign, label: string): string {
  return [`* ${label} (Optiloop)`, ...Object.entries(d.params).map(([k, v]) => `.param ${k} = ${v.toPrecision(6)}`), ''].join('\n');
}

function csv(d: CircuitDesign): string {
  const rows = [['kind', 'name', 'value'], ...Object.entries(d.params).map(([k, v]) => ['param', k, String(v)]), ...Object.entries(d.metrics ?? {}).map(([k, v]) => ['metric', k, String(v)])];
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

function SelectedDesign({ label, design, c, jobTitle }: { label: string; design: CircuitDesign; c: CircuitInspection | null; jobTitle: string }) {
  const sch = asSchematic(c?.schematic);
  const [showSch, setShowSch] = useState(false);
  const base = `${(c?.name ?? jobTitle).replace(/[^\w.-]+/g, '_')}-${label.replace(/[^\w]+/g, '_').toLowerCase()}`;
  return (
    <Card
      title={label}
      testId="selected-design"
      actions={
        <>
          <button className="btn small" onClick={() => downloadText(`${base}.json`, JSON.stringify(design, null, 2) + '\n', 'application/json')} data-testid="export-design-json">
            <Icon name="download" /> JSON
          </button>
          <button className="btn small" onClick={() => downloadText(`${base}.param`, paramInclude(design, label), 'text/plain')} data-testid="export-design-param">
            <Icon name="download" /> .param
          </button>
          <button className="btn small" onClick={() => downloadText(`${base}.csv`, csv(design), 'text/csv')} data-testid="export-design-csv">
            <Icon name="download" /> CSV
          </button>
        </>
      }
    >
      {c ? (
        <div className="two-col">
          <VariablesTable c={c} values={design.params} />
          <SpecsTable c={c} metrics={design.metrics} />
        </div>
      ) : (
        <dl className="facts result-facts">
          {Object.entries({ ...design.metrics, ...design.params }).map(([k, v]) => (
            <div className="fact" key={k}>
              <dt>{k}</dt>
              <dd>{num(v, 5)}</dd>
            </div>
          ))}
        </dl>
      )}
      {sch && (
        <>
          <button className="btn ghost small" onClick={() => setShowSch((x) => !x)} aria-expanded={showSch}>
            {showSch ? 'Hide' : 'Show'} this design on the schematic
          </button>
          {showSch && <Schematic schematic={sch} values={design.params} />}
        </>
      )}
    </Card>
  );
}
