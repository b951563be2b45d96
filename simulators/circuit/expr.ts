/**
 * SPICE parameter expressions (`'W1*2'`, `{A*W1}`, `n_lambda/L1`, `sqrt(2)*1u`): a small recursive
 * descent evaluator used to resolve `.param` values and instance parameters on the TypeScript side
 * (for `alter` in place, areas and the schematic). Unknown names throw ExprError; callers fall back
 * to letting ngspice evaluate the netlist.
 */
import { parseSpiceNumber } from './units.ts';

export class ExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprError';
  }
}

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === "'" || c === '{' || c === '}') {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[a-zµ]*/i.exec(src.slice(i));
    if (num) {
      const v = parseSpiceNumber(num[0]);
      if (v === null) throw new ExprError(`bad number '${num[0]}'`);
      out.push({ t: 'num', v });
      i += num[0].length;
      continue;
    }
    const id = /^[a-z_][a-z0-9_.]*/i.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0].toLowerCase() });
      i += id[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['**', '<=', '>=', '==', '!=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('+-*/^(),<>?:!'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    throw new ExprError(`unexpected '${c}' in expression '${src}'`);
  }
  return out;
}

const FUNCS: Record<string, (...a: number[]) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  exp: Math.exp,
  ln: Math.log,
  log: Math.log,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  atan: Math.atan,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  pwr: (a, b) => Math.sign(a) * Math.abs(a) ** b,
  floor: Math.floor,
  ceil: Math.ceil,
  int: Math.trunc,
  nint: Math.round,
  sgn: Math.sign,
  db: (x) => 20 * Math.log10(Math.abs(x)),
};

const CONSTS: Record<string, number> = { pi: Math.PI, e: Math.E };

export type Scope = (name: string) => number | undefined;

/** Evaluates `src` with names looked up (lower-case) in `scope`. */
export function evalExpr(src: string, scope: Scope): number {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v: string) => {
    const t = toks[p];
    if (!t || t.t !== 'op' || t.v !== v) throw new ExprError(`expected '${v}' in '${src}'`);
    p++;
  };
  const isOp = (v: string) => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  function ternary(): number {
    const c = orExpr();
    if (isOp('?')) {
      p++;
      const a = ternary();
      eat(':');
      const b = ternary();
      return c !== 0 ? a : b;
    }
    return c;
  }
  function orExpr(): number {
    let v = andExpr();
    while (isOp('||')) {
      p++;
      const r = andExpr();
      v = v !== 0 || r !== 0 ? 1 : 0;
    }
    return v;
  }
  function andExpr(): number {
    let v = cmp();
    while (isOp('&&')) {
      p++;
      const r = cmp();
      v = v !== 0 && r !== 0 ? 1 : 0;
    }
    return v;
  }
  function cmp(): number {
    let v = add();
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op' || !['<', '>', '<=', '>=', '==', '!='].includes(t.v)) return v;
      p++;
      const r = add();
      v = { '<': v < r, '>': v > r, '<=': v <= r, '>=': v >= r, '==': v === r, '!=': v !== r }[t.v as '<'] ? 1 : 0;
    }
  }
  function add(): number {
    let v = mul();
    for (;;) {
      if (isOp('+')) {
        p++;
        v += mul();
      } else if (isOp('-')) {
        p++;
        v -= mul();
      } else return v;
    }
  }
  function mul(): number {
    let v = unary();
    for (;;) {
      if (isOp('*')) {
        p++;
        v *= unary();
      } else if (isOp('/')) {
        p++;
        v /= unary();
      } else return v;
    }
  }
  function unary(): number {
    if (isOp('-')) {
      p++;
      return -unary();
    }
    if (isOp('+')) {
      p++;
      return unary();
    }
    if (isOp('!')) {
      p++;
      return unary() === 0 ? 1 : 0;
    }
    return power();
  }
  function power(): number {
    const b = atom();
    if (isOp('**') || isOp('^')) {
      p++;
      return b ** unary();
    }
    return b;
  }
  function atom(): number {
    const t = toks[p++];
    if (!t) throw new ExprError(`unexpected end of expression '${src}'`);
    if (t.t === 'num') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = ternary();
      eat(')');
      return v;
    }
    if (t.t === 'id') {
      if (isOp('(')) {
        p++;
        const args: number[] = [];
        if (!isOp(')')) {
          args.push(ternary());
          while (isOp(',')) {
            p++;
            args.push(ternary());
          }
        }
        eat(')');
        const f = FUNCS[t.v];
        if (!f) throw new ExprError(`unknown function '${t.v}' in '${src}'`);
        return f(...args);
      }
      const v = scope(t.v);
      if (v !== undefined) return v;
      if (t.v in CONSTS) return CONSTS[t.v];
      throw new ExprError(`unknown parameter '${t.v}' in '${src}'`);
    }
    throw new ExprError(`unexpected '${t.v}' in '${src}'`);
  }
  const v = ternary();
  if (p !== toks.length) throw new ExprError(`trailing text in expression '${src}'`);
  return v;
}

/** Names an expression refers to (lower-case, functions excluded). */
export function exprNames(src: string): string[] {
  let toks: Tok[];
  try {
    toks = tokenize(src);
  } catch {
    return [];
  }
  const names = new Set<string>();
  toks.forEach((t, i) => {
    const next = toks[i + 1];
    if (t.t === 'id' && !(next && next.t === 'op' && next.v === '(')) names.add(t.v);
  });
  return [...names];
}

/**
 * Resolves a set of `.param` definitions (name -> expression, lower-case names) in dependency
 * order, with `overrides` taking precedence. Throws ExprError on a cycle or unknown name.
 */
export function resolveParams(defs: Map<string, string>, overrides: Map<string, number> = new Map()): Map<string, number> {
  const out = new Map<string, number>(overrides);
  const visiting = new Set<string>();
  const get = (name: string): number | undefined => {
    if (out.has(name)) return out.get(name);
    const d = defs.get(name);
    if (d === undefined) return undefined;
    if (visiting.has(name)) throw new ExprError(`parameter '${name}' depends on itself`);
    visiting.add(name);
    const v = evalExpr(d, get);
    visiting.delete(name);
    out.set(name, v);
    return v;
  };
  for (const k of defs.keys()) get(k);
  return out;
}
