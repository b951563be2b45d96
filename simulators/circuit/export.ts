/**
 * Exports of a sized design: the netlist with the design's `.param` values written in, and a
 * `.param` include file a designer drops next to their own netlist.
 */
import type { CircuitProblem } from './problem.ts';
import { logicalLines, parseAssignments, renderLines } from './netlist.ts';
import { formatSpiceNumber, formatEng } from './units.ts';

function overrides(problem: CircuitProblem, params: Record<string, number>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(problem.fixed)) m.set(k.toLowerCase(), v);
  for (const v of problem.variables) {
    const x = params[v.name] ?? params[v.name.toLowerCase()];
    if (x === undefined || !Number.isFinite(x)) throw new Error(`design value of ${v.name} is missing`);
    m.set(v.name.toLowerCase(), x);
  }
  return m;
}

/**
 * The problem's netlist with every design variable and fixed parameter set on its `.param` line.
 * `title` replaces the first line (the engine uses a unique title per run).
 */
export function sizedNetlist(problem: CircuitProblem, params: Record<string, number>, opts: { title?: string; header?: boolean } = {}): string {
  const over = overrides(problem, params);
  const lines = logicalLines(problem.netlist);
  for (const l of lines) {
    if (l.kind !== 'dot') continue;
    const m = /^(\s*\.params?\s+)(.*)$/i.exec(l.text);
    if (!m) continue;
    let assigns: { name: string; expr: string; orig: string }[];
    try {
      assigns = parseAssignments(m[2].replace(/;.*$/, ''), problem.netlistFile, l.line);
    } catch {
      continue;
    }
    if (!assigns.some((a) => over.has(a.name))) continue;
    l.text = m[1] + assigns.map((a) => `${a.orig}=${over.has(a.name) ? formatSpiceNumber(over.get(a.name) as number) : `{${a.expr}}`}`).join(' ');
  }
  if (opts.title !== undefined) lines[0].text = opts.title;
  let text = renderLines(lines);
  if (opts.header) {
    const head = problem.variables.map((v) => `* ${v.name} = ${formatEng(over.get(v.name.toLowerCase()) as number)}${v.unit}`).join('\n');
    const [first, ...rest] = text.split('\n');
    text = [first, `* sized by Optiloop for problem '${problem.name}'`, head, ...rest].join('\n');
  }
  return text;
}

/** A `.param` include with the design's values (SI, exact), one per line. */
export function paramInclude(problem: CircuitProblem, params: Record<string, number>): string {
  const over = overrides(problem, params);
  const out = [`* Optiloop design parameters for '${problem.name}' (${problem.title})`];
  for (const v of problem.variables) {
    const x = over.get(v.name.toLowerCase()) as number;
    out.push(`.param ${v.name}=${formatSpiceNumber(x)} $ ${formatEng(x)}${v.unit}`);
  }
  for (const [k, x] of Object.entries(problem.fixed)) out.push(`.param ${k}=${formatSpiceNumber(x)} $ fixed`);
  return out.join('\n') + '\n';
}
