import type { Inspection } from '../../../../contract/api.ts';
import type { CircuitInspection } from '../../../../contract/circuit.ts';
import type { CircuitSchematic } from '../../../../contract/circuit-schematic.ts';
import { Card } from '../../components/common.tsx';
import { isObj } from '../../format.ts';
import { inUnit } from '../../units.ts';
import { Schematic } from './Schematic.tsx';
import { SourceView } from '../../components/SourceView.tsx';
import { useState } from 'react';

export function asCircuit(ins: Inspection | null): CircuitInspection | null {
  const d = ins?.details;
  if (!isObj(d)) return null;
  const c = d as unknown as CircuitInspection;
  return {
    ...c,
    variables: Array.isArray(c.variables) ? c.variables : [],
    constraints: Array.isArray(c.constraints) ? c.constraints : [],
    targets: Array.isArray(c.targets) ? c.targets : [],
    fixed: isObj(c.fixed) ? c.fixed : {},
    measurements: isObj(c.measurements) ? c.measurements : {},
    warnings: Array.isArray(c.warnings) ? c.warnings : [],
  };
}

export function asSchematic(x: unknown): CircuitSchematic | null {
  if (!isObj(x) || !Array.isArray(x.devices)) return null;
  const s = x as unknown as CircuitSchematic;
  return { devices: s.devices.filter((d) => d && typeof d.name === 'string' && Array.isArray(d.nodes)).map((d) => ({ ...d, params: isObj(d.params) ? d.params : {}, variables: Array.isArray(d.variables) ? d.variables : [] })), nets: Array.isArray(s.nets) ? s.nets : [], ground: s.ground ?? '0' };
}

export function CircuitInspect({ inspection }: { inspection: Inspection }) {
  const c = asCircuit(inspection);
  const [hl, setHl] = useState<string | null>(null);
  const [showNet, setShowNet] = useState(false);
  if (!c) return <div className="muted">No circuit details.</div>;
  const sch = asSchematic(c.schematic);
  return (
    <div className="stack" data-testid="circuit-inspect">
      {c.warnings.length > 0 && (
        <div className="callout warn">
          <ul className="plain">
            {c.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <Card title="Schematic">{sch ? <Schematic schematic={sch} highlight={hl} /> : <div className="muted">This netlist has no drawable schematic.</div>}</Card>
      <Card title="Specifications">
        <SpecsTable c={c} />
      </Card>
      <Card title={`Design variables (${c.variables.length})`} actions={<span className="muted small">hover a row to find its devices</span>}>
        <VariablesTable c={c} onHover={setHl} highlight={hl} />
      </Card>
      {c.netlist && (
        <Card title="Netlist (as simulated)" actions={<NetlistToggle open={showNet} onToggle={() => setShowNet((x) => !x)} />}>
          {showNet ? <SourceView text={c.netlist} name="netlist" /> : <div className="muted small">{c.netlist.split('\n').length} lines, includes resolved.</div>}
        </Card>
      )}
      {Object.keys(c.measurements).length > 0 && (
        <Card title="Measurements">
          <dl className="facts">
            {Object.entries(c.measurements).map(([k, v]) => (
              <FactRow key={k} k={k} v={v} />
            ))}
          </dl>
        </Card>
      )}
    </div>
  );
}

function NetlistToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  return (
    <button className="btn small" onClick={onToggle} aria-expanded={open}>
      {open ? 'Hide' : 'Show'}
    </button>
  );
}

function FactRow({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt className="mono">{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

export function VariablesTable({ c, values, onHover, highlight }: { c: CircuitInspection; values?: Record<string, number>; onHover?: (v: string | null) => void; highlight?: string | null }) {
  return (
    <table className="table compact" data-testid="variables-table">
      <thead>
        <tr>
          <th>Variable</th>
          <th className="num">Min</th>
          <th className="num">Max</th>
          <th>Scale</th>
          {values ? <th className="num">Value</th> : <th className="num">Reference</th>}
        </tr>
      </thead>
      <tbody>
        {c.variables.map((v) => (
          <tr key={v.name} className={`var-row${highlight === v.name ? ' sel' : ''}`} onMouseEnter={() => onHover?.(v.name)} onMouseLeave={() => onHover?.(null)}>
            <td>{v.name}</td>
            <td className="num">{inUnit(v.lo, v.unit)}</td>
            <td className="num">{inUnit(v.hi, v.unit)}</td>
            <td className="nowrap">
              {v.scale}
              {v.step ? <span className="muted">, {inUnit(v.step, v.unit)}</span> : null}
            </td>
            <td className="num">{values ? inUnit(values[v.name], v.unit) : inUnit(v.reference, v.unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SpecsTable({ c, metrics }: { c: CircuitInspection; metrics?: Record<string, number> }) {
  return (
    <table className="table compact" data-testid="specs-table">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Metric</th>
          <th>Spec</th>
          {metrics ? <th className="num">Value</th> : <th className="num">Reference</th>}
        </tr>
      </thead>
      <tbody>
        {c.constraints.map((k) => {
          const v = metrics?.[k.metric] ?? (metrics ? undefined : c.reference?.metrics?.[k.metric]);
          const met = v === undefined ? null : k.op === '>=' ? v >= k.value : v <= k.value;
          return (
            <tr key={`c-${k.metric}`}>
              <td>
                <span className="badge">hard</span>
              </td>
              <td className="mono">{k.metric}</td>
              <td className="nowrap">
                {k.op === '>=' ? '≥' : '≤'} {inUnit(k.value, k.unit)}
              </td>
              <td className={`num${met === null ? '' : met ? ' ok-text' : ' bad-text'}`}>{v === undefined ? '–' : inUnit(v, k.unit)}</td>
            </tr>
          );
        })}
        {c.targets.map((t) => {
          const v = metrics?.[t.metric] ?? (metrics ? undefined : c.reference?.metrics?.[t.metric]);
          return (
            <tr key={`t-${t.metric}`}>
              <td>
                <span className="badge state-running">target</span>
              </td>
              <td className="mono">{t.metric}</td>
              <td>{t.sense === 'min' ? 'minimise' : 'maximise'}</td>
              <td className="num">{v === undefined ? '–' : inUnit(v, t.unit)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
