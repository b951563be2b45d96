import { useEffect, useMemo, useRef } from 'react';
import type { Inspection, JobProgress } from '../../../../contract/api.ts';
import type { MipArmStats, MipInspection, MipProgress, MipResult, MipSparsitySample } from '../../../../contract/mip.ts';
import { Card, Stat, downloadText } from '../../components/common.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Plot } from '../../components/Plot.tsx';
import { isNum, isObj, num } from '../../format.ts';
import { store, useStore } from '../../state/store.ts';
import type { LiveProps } from '../types.ts';

export function asMip(ins: Inspection | null): MipInspection | null {
  const d = ins?.details;
  if (!isObj(d) || !isNum(d.rows) || !isNum(d.columns)) return null;
  return d as unknown as MipInspection;
}

/** The constraint matrix as a picture: each cell a block of rows x columns, darker = more non-zeros. */
export function SparsityPicture({ s, rows, columns }: { s: MipSparsitySample; rows: number; columns: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const ok = isObj(s) && isNum(s.gridRows) && isNum(s.gridCols) && Array.isArray(s.counts) && s.counts.length >= s.gridRows * s.gridCols;
  useEffect(() => {
    const cv = ref.current;
    if (!cv || !ok) return;
    const ctx = cv.getContext('2d');
    if (!ctx) return;
    const dark = document.documentElement.dataset.theme === 'dark';
    const cell = Math.max(1, Math.floor(Math.min(520 / s.gridCols, 360 / s.gridRows)));
    cv.width = s.gridCols * cell;
    cv.height = s.gridRows * cell;
    ctx.fillStyle = dark ? '#1f2530' : '#ffffff';
    ctx.fillRect(0, 0, cv.width, cv.height);
    const max = Math.max(1, ...s.counts);
    const lmax = Math.log1p(max);
    for (let r = 0; r < s.gridRows; r++)
      for (let c = 0; c < s.gridCols; c++) {
        const n = s.counts[r * s.gridCols + c];
        if (!n) continue;
        const t = 0.25 + 0.75 * (Math.log1p(n) / lmax);
        ctx.fillStyle = dark ? `rgba(109,155,255,${t})` : `rgba(30,70,190,${t})`;
        ctx.fillRect(c * cell, r * cell, cell, cell);
      }
  }, [s, ok]);
  if (!ok) return <div className="muted">No sparsity sample.</div>;
  return (
    <div className="sparsity" data-testid="sparsity">
      <canvas ref={ref} aria-label={`Sparsity pattern: ${rows} rows by ${columns} columns`} role="img" />
      <div className="muted small">
        {rows.toLocaleString()} rows × {columns.toLocaleString()} columns, in {s.gridRows} × {s.gridCols} blocks; darker blocks hold more non-zeros.
      </div>
    </div>
  );
}

export function MipInspect({ inspection }: { inspection: Inspection }) {
  const m = asMip(inspection);
  if (!m) return <div className="muted">No model details.</div>;
  const rk = m.rowKinds ?? { equal: 0, less: 0, greater: 0, ranged: 0, free: 0 };
  return (
    <div className="stack" data-testid="mip-inspect">
      <div className="stats">
        <Stat label="Rows" value={num(m.rows)} sub={`${rk.equal} =, ${rk.less} ≤, ${rk.greater} ≥${rk.ranged ? `, ${rk.ranged} ranged` : ''}`} />
        <Stat label="Columns" value={num(m.columns)} sub={`${m.binaries} binary, ${m.integers - m.binaries} general int, ${m.continuous} continuous`} />
        <Stat label="Non-zeros" value={num(m.nonZeros)} sub={`density ${num((m.nonZeros / Math.max(1, m.rows * m.columns)) * 100, 3)} %`} />
        <Stat label="Objective" value={m.sense === 'max' ? 'maximise' : 'minimise'} sub={`${m.objectiveNonZeros} non-zero coefficient${m.objectiveNonZeros === 1 ? '' : 's'}`} />
      </div>
      <div className="two-col">
        <Card title="Sparsity">
          <SparsityPicture s={m.sparsity} rows={m.rows} columns={m.columns} />
        </Card>
        <Card title="Model">
          <dl className="facts">
            <dt>Name</dt>
            <dd className="mono">{m.name}</dd>
            <dt>Format</dt>
            <dd>{m.format?.toUpperCase()}</dd>
            <dt>Integers</dt>
            <dd>
              {num(m.integers)} ({num(m.binaries)} binary)
            </dd>
            <dt>Coefficients</dt>
            <dd>{m.coefficientRange ? `${num(m.coefficientRange.min, 3)} … ${num(m.coefficientRange.max, 3)}` : '–'}</dd>
            {rk.free > 0 && (
              <>
                <dt>Free rows</dt>
                <dd>{rk.free}</dd>
              </>
            )}
          </dl>
          {Array.isArray(m.inapplicableOperators) && m.inapplicableOperators.length > 0 && (
            <div>
              <div className="side-title">Operators that do not apply</div>
              <ul className="plain small">
                {m.inapplicableOperators.map((o) => (
                  <li key={o.operator}>
                    <span className="mono">{o.operator}</span>: <span className="muted">{o.reason}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}

interface MipAcc {
  last: MipProgress | null;
  /** [seconds, bound] whenever the bound changed. */
  bound: [number, number][];
  /** [seconds, current (accepted) objective] per report. */
  current: [number, number][];
  version: number;
}

export function foldMip(prev: unknown, p: JobProgress): MipAcc {
  const acc = (prev as MipAcc | undefined) ?? { last: null, bound: [], current: [], version: 0 };
  const d = p.data as Partial<MipProgress> | undefined;
  if (!isObj(d)) return acc;
  acc.version++;
  acc.last = d as MipProgress;
  const t = isNum(d.seconds) ? d.seconds : 0;
  if (isNum(d.bound)) {
    const last = acc.bound[acc.bound.length - 1];
    if (!last || last[1] !== d.bound) acc.bound.push([t, d.bound]);
  }
  if (isNum(d.current)) acc.current.push([t, d.current]);
  if (acc.current.length > 5000) acc.current.splice(0, acc.current.length - 5000);
  return acc;
}

function ArmsTable({ arms, lastArm, lastOutcome }: { arms: Record<string, Partial<MipArmStats> & { pulls: number; meanReward: number }>; lastArm: string | null; lastOutcome: string | null }) {
  const rows = Object.entries(arms).sort((a, b) => b[1].pulls - a[1].pulls);
  const maxPulls = Math.max(1, ...rows.map(([, a]) => a.pulls));
  const maxReward = Math.max(1e-9, ...rows.map(([, a]) => a.meanReward));
  return (
    <table className="table compact arms" data-testid="arms-table">
      <thead>
        <tr>
          <th>Arm</th>
          <th>Pulls</th>
          <th>Mean reward</th>
          <th className="num" title="iterations that gave a new best / a better current / were accepted / rejected / failed">best · better · accepted · rejected · failed</th>
          <th className="num">Time</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, a]) => (
          <tr key={name} className={name === lastArm ? 'sel' : undefined} data-arm={name}>
            <td className="mono">
              {name}
              {name === lastArm && <span className={`badge outcome-${lastOutcome ?? ''}`}>last · {lastOutcome ?? '?'}</span>}
            </td>
            <td>
              <div className="bar">
                <i style={{ width: `${(a.pulls / maxPulls) * 100}%` }} />
                <span>{a.pulls}</span>
              </div>
            </td>
            <td>
              <div className="bar reward">
                <i style={{ width: `${(Math.max(0, a.meanReward) / maxReward) * 100}%` }} />
                <span>{num(a.meanReward, 3)}</span>
              </div>
            </td>
            <td className="num">
              {a.best ?? '–'} · {a.better ?? '–'} · {a.accepted ?? '–'} · {a.rejected ?? '–'} · {a.failed ?? '–'}
            </td>
            <td className="num">{isNum(a.seconds) ? `${num(a.seconds, 3)} s` : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MipLive({ job, detail }: LiveProps) {
  useStore();
  const acc = store.acc.get(job.id) as MipAcc | undefined;
  const result = isObj(detail?.result) ? (detail!.result as unknown as Partial<MipResult>) : null;
  const last = acc?.last ?? (isObj(job.progress?.data) ? (job.progress!.data as unknown as MipProgress) : null);
  const trace: [number, number][] = (result?.trace?.length ? result.trace : last?.trace ?? []).filter((t) => Array.isArray(t) && isNum(t[0]) && isNum(t[1]));
  const bound = acc?.bound ?? [];
  const arms = (result?.arms && Object.keys(result.arms).length ? result.arms : last?.arms) ?? {};
  const incumbent = result?.objective ?? last?.incumbent ?? null;
  const gap = result?.gap ?? last?.gap ?? null;
  const boundNow = result?.bound ?? last?.bound ?? null;
  const endT = Math.max(last?.seconds ?? 0, result?.seconds ?? 0);
  // Extend the incumbent step line to "now" so it reads as a best-so-far curve.
  const incSeries = useMemo(() => (trace.length && endT > trace[trace.length - 1][0] ? [...trace, [endT, trace[trace.length - 1][1]] as [number, number]] : trace), [trace, endT]);
  const solution = isObj(result?.solution) ? (result!.solution as Record<string, number>) : null;
  const base = (result?.instance ?? job.title).replace(/[^\w.-]+/g, '_');

  return (
    <div className="stack" data-testid="mip-live">
      <div className="stats">
        <Stat label="Incumbent" value={<span data-testid="mip-incumbent">{num(incumbent, 8)}</span>} sub={last?.sense ?? result?.sense} tone={incumbent !== null ? 'ok' : undefined} />
        <Stat label="Bound" value={num(boundNow, 8)} sub={gap !== null ? `gap ${num(gap * 100, 3)} %` : undefined} />
        <Stat label="Iterations" value={num(last?.iterations ?? result?.iterations ?? 0)} sub={last?.method ?? result?.method} />
        <Stat label="Status" value={result?.status ?? (job.state === 'running' ? 'solving' : job.state)} sub={result?.check ? (result.check.feasible ? 'checked feasible' : 'CHECK FAILED') : undefined} tone={result?.check ? (result.check.feasible ? 'ok' : 'bad') : undefined} />
      </div>
      <div className="stack">
        <Card title="Incumbent and bound over time" testId="mip-trace-chart">
          <Plot
            series={[
              { name: 'incumbent', points: incSeries, mode: 'step', color: 'var(--c1)' },
              { name: 'bound', points: bound, mode: 'step', color: 'var(--c3)', dashed: true },
              ...(acc && acc.current.length > 1 && last?.method === 'balans' ? [{ name: 'current', points: acc.current, mode: 'step' as const, color: 'var(--c5)' }] : []),
            ]}
            xLabel="seconds"
            yLabel="objective"
            emptyText="No feasible solution yet."
          />
        </Card>
        <Card title="Bandit: pulls per arm" testId="mip-arms-chart">
          {Object.keys(arms).length === 0 ? (
            <div className="muted">{last?.method === 'highs' || result?.method === 'highs' ? 'Plain HiGHS has no bandit.' : 'No iteration yet.'}</div>
          ) : (
            <ArmsTable arms={arms} lastArm={last?.lastArm ?? null} lastOutcome={last?.lastOutcome ?? null} />
          )}
        </Card>
      </div>
      {solution && (
        <Card
          title={`Solution (${Object.keys(solution).length} columns)`}
          testId="mip-solution"
          actions={
            <>
              <button className="btn small" onClick={() => downloadText(`${base}.solution.csv`, ['column,value', ...Object.entries(solution).map(([k, v]) => `${k},${v}`)].join('\n') + '\n', 'text/csv')} data-testid="export-solution-csv">
                <Icon name="download" /> CSV
              </button>
              <button className="btn small" onClick={() => downloadText(`${base}.solution.json`, JSON.stringify({ instance: result?.instance, objective: result?.objective, solution }, null, 2) + '\n', 'application/json')}>
                <Icon name="download" /> JSON
              </button>
            </>
          }
        >
          <div className="sol-grid mono small">
            {Object.entries(solution)
              .filter(([, v]) => v !== 0)
              .slice(0, 300)
              .map(([k, v]) => (
                <span key={k}>
                  {k} = {num(v, 6)}
                </span>
              ))}
          </div>
          <div className="muted small">Non-zero values shown (first 300).</div>
        </Card>
      )}
    </div>
  );
}
