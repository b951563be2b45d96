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

/** An expression compiled to a closure (see `compile`). */
type Compiled = (scope: Scope) => number;

/** Compiled expressions by source text, or the error the text's parse raised. */
const compiledCache = new Map<string, Compiled | ExprError>();
const CACHE_LIMIT = 8192;

/**
 * Evaluates `src` with names looked up (lower-case) in `scope`. An expression is tokenized and
 * parsed once and kept as a closure (tokenizing cost 0.5 ms per three-stage TIA run); a text that
 * does not parse throws its parse error at every call.
 */
export function evalExpr(src: string, scope: Scope): number {
  let f = compiledCache.get(src);
  if (f === undefined) {
    try {
      f = compile(src);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      f = e;
    }
    if (compiledCache.size >= CACHE_LIMIT) compiledCache.clear();
    compiledCache.set(src, f);
  }
  if (f instanceof ExprError) throw new ExprError(f.message);
  return f(scope);
}

const fail = (msg: string): never => {
  throw new ExprError(msg);
};

/**
 * Parses `src` into a closure (throws ExprError when the text does not tokenize or parse). Every
 * operand is evaluated, left to right (both branches of `?:`, both sides of `&&` and `||`, all
 * arguments before the function lookup), so scopes with side effects (the lazy `.param` resolution)
 * see every name in the order it is written.
 */
function compile(src: string): Compiled {
  const toks = tokenize(src);
  let p = 0;
  const isOp = (v: string) => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const eat = (v: string) => {
    if (!isOp(v)) throw new ExprError(`expected '${v}' in '${src}'`);
    p++;
  };
  function ternary(): Compiled {
    const c = orExpr();
    if (isOp('?')) {
      p++;
      const a = ternary();
      eat(':');
      const b = ternary();
      return (s) => {
        const cv = c(s);
        const av = a(s);
        const bv = b(s);
        return cv !== 0 ? av : bv;
      };
    }
    return c;
  }
  function orExpr(): Compiled {
    let v = andExpr();
    while (isOp('||')) {
      p++;
      const l = v;
      const r = andExpr();
      v = (s) => {
        const lv = l(s);
        const rv = r(s);
        return lv !== 0 || rv !== 0 ? 1 : 0;
      };
    }
    return v;
  }
  function andExpr(): Compiled {
    let v = cmp();
    while (isOp('&&')) {
      p++;
      const l = v;
      const r = cmp();
      v = (s) => {
        const lv = l(s);
        const rv = r(s);
        return lv !== 0 && rv !== 0 ? 1 : 0;
      };
    }
    return v;
  }
  function cmp(): Compiled {
    let v = add();
    for (;;) {
      const t = toks[p];
      if (!t || t.t !== 'op' || !['<', '>', '<=', '>=', '==', '!='].includes(t.v)) return v;
      p++;
      const l = v;
      const r = add();
      const op = t.v;
      v = (s) => {
        const a = l(s);
        const b = r(s);
        return (op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : op === '>=' ? a >= b : op === '==' ? a === b : a !== b) ? 1 : 0;
      };
    }
  }
  function add(): Compiled {
    let v = mul();
    for (;;) {
      const l = v;
      if (isOp('+')) {
        p++;
        const r = mul();
        v = (s) => l(s) + r(s);
      } else if (isOp('-')) {
        p++;
        const r = mul();
        v = (s) => l(s) - r(s);
      } else return v;
    }
  }
  function mul(): Compiled {
    let v = unary();
    for (;;) {
      const l = v;
      if (isOp('*')) {
        p++;
        const r = unary();
        v = (s) => l(s) * r(s);
      } else if (isOp('/')) {
        p++;
        const r = unary();
        v = (s) => l(s) / r(s);
      } else return v;
    }
  }
  function unary(): Compiled {
    if (isOp('-')) {
      p++;
      const a = unary();
      return (s) => -a(s);
    }
    if (isOp('+')) {
      p++;
      return unary();
    }
    if (isOp('!')) {
      p++;
      const a = unary();
      return (s) => (a(s) === 0 ? 1 : 0);
    }
    return power();
  }
  function power(): Compiled {
    const b = atom();
    if (isOp('**') || isOp('^')) {
      p++;
      const e = unary();
      return (s) => b(s) ** e(s);
    }
    return b;
  }
  function atom(): Compiled {
    const t = toks[p++];
    if (!t) throw new ExprError(`unexpected end of expression '${src}'`);
    if (t.t === 'num') {
      const v = t.v;
      return () => v;
    }
    if (t.t === 'op' && t.v === '(') {
      const v = ternary();
      eat(')');
      return v;
    }
    if (t.t === 'id') {
      const name = t.v;
      if (isOp('(')) {
        p++;
        const args: Compiled[] = [];
        if (!isOp(')')) {
          args.push(ternary());
          while (isOp(',')) {
            p++;
            args.push(ternary());
          }
        }
        eat(')');
        const f = FUNCS[name];
        return (s) => {
          const vals = args.map((a) => a(s));
          return f ? f(...vals) : fail(`unknown function '${name}' in '${src}'`);
        };
      }
      return (s) => {
        const v = s(name);
        if (v !== undefined) return v;
        if (name in CONSTS) return CONSTS[name];
        return fail(`unknown parameter '${name}' in '${src}'`);
      };
    }
    throw new ExprError(`unexpected '${t.v}' in '${src}'`);
  }
  const f = ternary();
  if (p !== toks.length) throw new ExprError(`trailing text in expression '${src}'`);
  return f;
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
