import { useMemo, useState } from 'react';
import type { Inspection } from '../../../../contract/api.ts';
import type { GridInspection, GridParetoPoint, GridProgress, GridResult } from '../../../../contract/grid.ts';
import { Card, Stat, downloadText } from '../../components/common.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Plot } from '../../components/Plot.tsx';
import { isNum, isObj, num } from '../../format.ts';
import { store, useStore } from '../../state/store.ts';
import type { LiveProps } from '../types.ts';
import { GridDiagram } from './GridDiagram.tsx';
import { switchingSequence } from './topology.ts';
import type { JobProgress } from '../../../../contract/api.ts';

export function asGrid(ins: Inspection | null): GridInspection | null {
  const d = ins?.details;
  if (!isObj(d) || !Array.isArray(d.buses) || !Array.isArray(d.branches)) return null;
  const g = d as unknown as GridInspection;
  return { ...g, baseOpenBranches: Array.isArray(g.baseOpenBranches) ? g.baseOpenBranches : [], warnings: Array.isArray(g.warnings) ? g.warnings : [] };
}

export function GridInspect({ inspection }: { inspection: Inspection }) {
  const g = asGrid(inspection);
  if (!g) return <div className="muted">No grid details.</div>;
  return (
    <div className="stack" data-testid="grid-inspect">
      {g.warnings.length > 0 && (
        <div className="callout warn">
          <ul className="plain">
            {g.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="stats">
        <Stat label="Base loss" value={g.baseLossKw !== null ? `${num(g.baseLossKw, 5)} kW` : '–'} testId="grid-base-loss" />
        <Stat label="Lowest voltage" value={g.baseMinVoltagePu !== null ? `${num(g.baseMinVoltagePu, 4)} p.u.` : '–'} sub={g.baseMinVoltageBus !== null ? `at bus ${g.baseMinVoltageBus}` : undefined} tone={g.baseMinVoltagePu !== null && g.baseMinVoltagePu < g.vMinPu ? 'bad' : undefined} />
        <Stat label="Load" value={`${num(g.totalLoadKw, 5)} kW`} sub={`${num(g.totalLoadKvar, 5)} kvar`} />
        <Stat label="Switches" value={`${g.switches}`} sub={`${g.loops} loops · open ${g.baseOpenBranches.length}`} />
      </div>
      <Card title={`One-line diagram · ${g.caseName}`}>
        <GridDiagram g={g} open={g.baseOpenBranches} vmPu={null} baseOpen={g.baseOpenBranches} caption={`base configuration${g.baseRadial ? ', radial' : ', not radial'}${g.baseConnected ? '' : ', islanded'}`} />
      </Card>
    </div>
  );
}

interface GridAcc {
  last: GridProgress | null;
  /** Each new best configuration in order: [powerFlows, openBranches, lossKw]. */
  bests: { powerFlows: number; open: number[]; lossKw: number }[];
  version: number;
}

export function foldGrid(prev: unknown, p: JobProgress): GridAcc {
  const acc = (prev as GridAcc | undefined) ?? { last: null, bests: [], version: 0 };
  const d = p.data as Partial<GridProgress> | undefined;
  if (!isObj(d)) return acc;
  acc.version++;
  acc.last = d as GridProgress;
  if (Array.isArray(d.bestOpenBranches) && isNum(d.bestLossKw)) {
    const last = acc.bests[acc.bests.length - 1];
    if (!last || last.lossKw !== d.bestLossKw || last.open.join() !== d.bestOpenBranches.join()) acc.bests.push({ powerFlows: d.powerFlows ?? p.evaluations, open: [...d.bestOpenBranches], lossKw: d.bestLossKw });
  }
  return acc;
}

/** Same columns as the engine's switch-plan CSV (simulators/grid/export.ts). */
function csvPlan(seq: ReturnType<typeof switchingSequence>): string {
  return ['step,branch_row,from_bus,to_bus,action', ...seq.map((o, i) => `${i + 1},${o.row},${o.fromBus},${o.toBus},${o.action}`)].join('\n') + '\n';
}

const NONE: number[] = [];

export function GridLive({ job, detail, inspection }: LiveProps) {
  useStore();
  const acc = store.acc.get(job.id) as GridAcc | undefined;
  const g = useMemo(() => asGrid(inspection), [inspection]);
  const result = isObj(detail?.result) ? (detail!.result as unknown as Partial<GridResult>) : null;
  const last = acc?.last ?? (isObj(job.progress?.data) ? (job.progress!.data as unknown as GridProgress) : null);
  const baseOpen = g?.baseOpenBranches ?? result?.baseOpenBranches ?? NONE;
  const pareto: GridParetoPoint[] = (result?.pareto?.length ? result.pareto : last?.pareto) ?? [];
  const [sel, setSel] = useState<number | 'best'>('best');
  const bestOpen = result?.openBranches ?? last?.bestOpenBranches ?? null;
  const selPoint = sel === 'best' ? null : pareto[sel] ?? null;
  const shownOpen = selPoint?.openBranches ?? bestOpen ?? baseOpen;
  const seq = useMemo(() => (g ? switchingSequence(g.branches, baseOpen, shownOpen) : []), [g, baseOpen, shownOpen]);
  const bestLoss = result?.lossKw ?? last?.bestLossKw ?? null;
  const baseLoss = result?.baseLossKw ?? last?.baseLossKw ?? g?.baseLossKw ?? null;
  const minV = selPoint?.minVoltagePu ?? result?.minVoltagePu ?? last?.bestMinVoltagePu ?? null;
  const lb = result?.lowerBoundKw ?? last?.lowerBoundKw ?? null;
  const flows = last?.powerFlows ?? result?.powerFlows ?? 0;
  const rawTrace = last?.trace;
  // The engine's trace is sparse (one point per improvement): extend it to the power flows so far.
  const trace = useMemo(() => {
    const t: [number, number][] = (rawTrace ?? []).filter((x) => Array.isArray(x) && isNum(x[0]) && isNum(x[1]));
    return t.length && flows > t[t.length - 1][0] ? [...t, [flows, t[t.length - 1][1]] as [number, number]] : t;
  }, [rawTrace, flows]);
  const vm = selPoint ? null : last?.vmPu ?? null;

  const exportSel = (fmt: 'json' | 'csv') => {
    const name = `${(g?.caseName ?? 'case').replace(/[^\w.-]+/g, '_')}-${sel === 'best' ? 'best' : `pareto-${selPoint?.switchingOps}ops`}`;
    const body = { case: g?.caseName ?? result?.case ?? null, openBranches: shownOpen, lossKw: selPoint?.lossKw ?? bestLoss, minVoltagePu: minV, switchingSequence: seq };
    if (fmt === 'json') downloadText(`${name}.json`, JSON.stringify(body, null, 2) + '\n', 'application/json');
    else downloadText(`${name}.csv`, csvPlan(seq), 'text/csv');
  };

  return (
    <div className="stack" data-testid="grid-live">
      <div className="stats">
        <Stat label="Best loss" value={bestLoss !== null ? `${num(bestLoss, 5)} kW` : '–'} sub={bestLoss !== null && baseLoss ? `−${num(((baseLoss - bestLoss) / baseLoss) * 100, 3)} % vs base ${num(baseLoss, 5)} kW` : undefined} testId="grid-best-loss" tone="ok" />
        <Stat label="Lowest voltage" value={minV !== null ? `${num(minV, 4)} p.u.` : '–'} tone={minV !== null && g && minV < g.vMinPu ? 'bad' : undefined} />
        <Stat label="Lower bound" value={lb !== null ? `${num(lb, 5)} kW` : '–'} sub={result?.proofStatus ?? last?.phase} />
        <Stat label="Power flows" value={num(last?.powerFlows ?? result?.powerFlows ?? job.progress?.evaluations ?? 0)} sub={last?.agent ?? result?.agent} />
      </div>
      <div className="two-col">
        <Card title="Loss of the best configuration" testId="grid-loss-chart">
          <Plot
            series={[{ name: 'best loss', points: trace, mode: 'step' }]}
            hlines={[...(baseLoss !== null ? [{ y: baseLoss, label: 'base', color: 'var(--muted)' }] : []), ...(lb !== null ? [{ y: lb, label: 'lower bound', color: 'var(--ok)' }] : [])]}
            xLabel="power flows"
            yLabel="loss (kW)"
            emptyText="No configuration evaluated yet."
          />
        </Card>
        <Card title={`Loss vs switching operations (${pareto.length})`} testId="grid-pareto">
          <Plot
            points={pareto.map((p, i) => ({ key: i, x: p.switchingOps, y: p.lossKw, color: p.proven ? 'var(--ok)' : 'var(--accent)', title: `${p.switchingOps} operations\nloss ${num(p.lossKw, 5)} kW\nVmin ${num(p.minVoltagePu, 4)} p.u.\nopen ${p.openBranches.join(' ')}${p.proven ? '\nproven optimal' : ''}` }))}
            selectedKey={sel === 'best' ? null : sel}
            onSelect={(k) => setSel(k as number)}
            xLabel="switching operations from base"
            yLabel="loss (kW)"
            emptyText="The front appears when the agent computes it."
          />
        </Card>
      </div>
      {g ? (
        <Card
          title={selPoint ? `Configuration with ${selPoint.switchingOps} switching operations` : job.state === 'running' ? 'Current best configuration' : 'Best configuration'}
          testId="grid-config"
          actions={
            <>
              {sel !== 'best' && (
                <button className="btn small" onClick={() => setSel('best')}>
                  Show best
                </button>
              )}
              <button className="btn small" onClick={() => exportSel('json')} data-testid="export-config-json">
                <Icon name="download" /> plan JSON
              </button>
              <button className="btn small" onClick={() => exportSel('csv')} data-testid="export-config-csv">
                <Icon name="download" /> plan CSV
              </button>
            </>
          }
        >
          <GridDiagram g={g} open={shownOpen} vmPu={vm} baseOpen={baseOpen} caption={`open: ${shownOpen.join(', ') || 'none'}`} />
          <div>
            <div className="side-title">Switching sequence (radial after every pair)</div>
            {seq.length === 0 ? (
              <div className="muted small">Same as the base configuration.</div>
            ) : (
              <ol className="switch-seq" data-testid="switching-sequence">
                {seq.map((o, i) => (
                  <li key={i} className={o.action}>
                    <strong>{o.action}</strong> branch {o.row} <span className="muted">(bus {o.fromBus}–{o.toBus})</span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </Card>
      ) : (
        <Card title="Best configuration">
          <div className="mono">open: {shownOpen.join(', ')}</div>
        </Card>
      )}
      {Array.isArray(result?.scenarios) && result!.scenarios!.length > 0 && (
        <Card title="Load scenarios (learning agent)">
          <table className="table compact">
            <thead>
              <tr>
                <th className="num">#</th>
                <th className="num">Loss kW</th>
                <th className="num">Reference kW</th>
                <th className="num">Gap %</th>
                <th className="num">Vmin p.u.</th>
                <th className="num">Inference ms</th>
                <th className="num">Invalid / cycles / subgraphs</th>
              </tr>
            </thead>
            <tbody>
              {result!.scenarios!.slice(0, 200).map((s) => (
                <tr key={s.scenario}>
                  <td className="num">{s.scenario}</td>
                  <td className="num">{num(s.lossKw, 5)}</td>
                  <td className="num">{num(s.referenceLossKw, 5)}</td>
                  <td className="num">{num(s.gapPct, 3)}</td>
                  <td className="num">{num(s.minVoltagePu, 4)}</td>
                  <td className="num">{num(s.inferenceMs, 3)}</td>
                  <td className="num">
                    {s.invalidEdges} / {s.cycles} / {s.subgraphs}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
