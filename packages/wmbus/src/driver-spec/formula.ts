import { unitConverter } from './units.js';

/**
 * wmbusmeters' `calculate` formulas, the subset its driver files use: numbers with units (`0.5y`,
 * `1counter`, `24 h`), other fields by output name (`total_m3`, `hist0_hi_counter`), dates in quotes,
 * + - * / % << >> & ^ | == != < <= > >=, parentheses and floor(). Compiled once into a closure; a formula
 * whose inputs are missing, or whose units do not combine, yields undefined.
 */
export type FormulaValue = { readonly n: number; readonly unit: string } | { readonly date: Date };
export type Formula = (lookup: (name: string) => number | string | undefined) => FormulaValue | undefined;

type Tok =
  | { t: 'num'; n: number; unit: string }
  | { t: 'id'; s: string }
  | { t: 'str'; s: string }
  | { t: 'op'; s: string };

const UNIT_WORDS = [
  'counter',
  'month',
  'kwh',
  'm3h',
  'm3',
  'mj',
  'gj',
  'kw',
  'hca',
  'min',
  'h',
  'd',
  'y',
  's',
  'c',
  'l',
  'v',
  'a',
  'hz',
  'rh',
  'bar',
];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const m = /^([0-9]*\.?[0-9]+)\s*([a-z][a-z0-9]*)?/.exec(src.slice(i));
      if (m === null) throw new Error(`bad number at ${i}`);
      const word = m[2];
      const unit = word !== undefined && UNIT_WORDS.includes(word) ? word : 'counter';
      out.push({ t: 'num', n: Number(m[1]), unit });
      i += unit === word ? m[0].length : (m[1] as string).length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', s: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new Error('unclosed quote');
      out.push({ t: 'str', s: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<<', '>>', '==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', s: two });
      i += 2;
      continue;
    }
    if ('+-*/%&^|()<>,'.includes(c)) {
      out.push({ t: 'op', s: c });
      i++;
      continue;
    }
    throw new Error(`unexpected '${c}'`);
  }
  return out;
}

const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const FUNCTIONS: Record<string, (x: number) => number> = {
  floor: Math.floor,
  round: Math.round,
  abs: Math.abs,
  sqrt: Math.sqrt,
};

type Node = (lookup: (name: string) => number | string | undefined) => FormulaValue | undefined;

function unitOfName(name: string): string {
  const m = /_([a-z0-9]+)$/.exec(name);
  return m?.[1] ?? 'counter';
}

function asDate(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (m === null) return undefined;
  return new Date(
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
    ),
  );
}

function addTime(d: Date, n: number, unit: string): Date | undefined {
  const r = new Date(d.getTime());
  if (unit === 'month' || unit === 'y') {
    // Calendar months: the last day stays the last day (2024-11-30 − 1 month = 2024-10-31), others clamp.
    const months = r.getUTCMonth() + Math.trunc(unit === 'y' ? n * 12 : n);
    const day = r.getUTCDate();
    const endOfMonth = day === new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
    r.setUTCDate(1);
    r.setUTCFullYear(r.getUTCFullYear() + Math.floor(months / 12), ((months % 12) + 12) % 12);
    const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
    r.setUTCDate(endOfMonth ? last : Math.min(day, last));
  } else {
    const conv = unitConverter(unit, 's');
    if (conv === undefined) return undefined;
    r.setTime(r.getTime() + conv(n) * 1000);
  }
  return r;
}

function binary(op: string, a: FormulaValue, b: FormulaValue): FormulaValue | undefined {
  if ('date' in a) {
    if ('date' in b || (op !== '+' && op !== '-')) return undefined;
    const d = addTime(a.date, op === '+' ? b.n : -b.n, b.unit);
    return d === undefined ? undefined : { date: d };
  }
  if ('date' in b) return op === '+' ? binary('+', b, a) : undefined;
  // Bit operations on 64-bit integers; shifts beyond 63 and non-finite operands give no value.
  const int = (x: number): bigint => BigInt.asIntN(64, BigInt(Math.trunc(x)));
  if (['<<', '>>', '&', '^', '|'].includes(op)) {
    if (!Number.isFinite(a.n) || !Number.isFinite(b.n)) return undefined;
    if ((op === '<<' || op === '>>') && (b.n < 0 || b.n > 63)) return undefined;
  }
  switch (op) {
    case '+':
    case '-': {
      const conv = a.unit === 'counter' ? (v: number) => v : unitConverter(b.unit, a.unit);
      if (conv === undefined) return undefined;
      const bv = b.unit === 'counter' ? b.n : conv(b.n);
      return { n: op === '+' ? a.n + bv : a.n - bv, unit: a.unit === 'counter' ? b.unit : a.unit };
    }
    case '*':
      return { n: a.n * b.n, unit: a.unit === 'counter' ? b.unit : a.unit };
    case '/':
      if (b.n === 0) return undefined;
      return { n: a.n / b.n, unit: a.unit === b.unit ? 'counter' : b.unit === 'counter' ? a.unit : a.unit };
    case '%':
      return b.n === 0 ? undefined : { n: a.n % b.n, unit: a.unit };
    case '<<':
      return { n: Number(int(a.n) << int(b.n)), unit: a.unit };
    case '>>':
      return { n: Number(int(a.n) >> int(b.n)), unit: a.unit };
    case '&':
      return { n: Number(int(a.n) & int(b.n)), unit: a.unit };
    case '^':
      return { n: Number(int(a.n) ^ int(b.n)), unit: a.unit };
    case '|':
      return { n: Number(int(a.n) | int(b.n)), unit: a.unit };
    case '&&':
      return { n: a.n !== 0 && b.n !== 0 ? 1 : 0, unit: 'counter' };
    case '||':
      return { n: a.n !== 0 || b.n !== 0 ? 1 : 0, unit: 'counter' };
    default: {
      const r =
        op === '=='
          ? a.n === b.n
          : op === '!='
            ? a.n !== b.n
            : op === '<'
              ? a.n < b.n
              : op === '<='
                ? a.n <= b.n
                : op === '>'
                  ? a.n > b.n
                  : a.n >= b.n;
      return { n: r ? 1 : 0, unit: 'counter' };
    }
  }
}

/** Compiles a formula; throws an Error with the reason when it does not parse (the loader reports it). */
export function compileFormula(src: string): Formula {
  const toks = tokenize(src);
  let p = 0;
  const opAt = (i: number): string | undefined => {
    const t = toks[i];
    return t?.t === 'op' ? t.s : undefined;
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (t === undefined) throw new Error('formula ends early');
    if (t.t === 'num') {
      const v = { n: t.n, unit: t.unit };
      return () => v;
    }
    if (t.t === 'str') {
      const d = asDate(t.s);
      if (d === undefined) throw new Error(`'${t.s}' is not a date`);
      return () => ({ date: d });
    }
    if (t.t === 'op' && t.s === '(') {
      const e = expr(0);
      if (opAt(p++) !== ')') throw new Error('missing )');
      return e;
    }
    if (t.t === 'op' && t.s === '-') {
      const e = primary();
      return (l) => {
        const v = e(l);
        return v === undefined || 'date' in v ? undefined : { n: -v.n, unit: v.unit };
      };
    }
    if (t.t === 'id') {
      if (opAt(p) === '(') {
        p++;
        const args: Node[] = [expr(1)];
        while (opAt(p) === ',') {
          p++;
          args.push(expr(1));
        }
        if (opAt(p++) !== ')') throw new Error('missing )');
        if (t.s === 'mkdate' && args.length === 3) {
          const [y, m, d] = args as [Node, Node, Node];
          return (l) => {
            const [a, b, c] = [y(l), m(l), d(l)];
            if (a === undefined || b === undefined || c === undefined) return undefined;
            if ('date' in a || 'date' in b || 'date' in c) return undefined;
            return { date: new Date(Date.UTC(a.n, b.n - 1, c.n)) };
          };
        }
        const fn = FUNCTIONS[t.s];
        const arg = args[0];
        if (fn === undefined || arg === undefined || args.length !== 1)
          throw new Error(`unknown function ${t.s}/${args.length}`);
        return (l) => {
          const v = arg(l);
          return v === undefined || 'date' in v ? undefined : { n: fn(v.n), unit: v.unit };
        };
      }
      const name = t.s;
      const unit = unitOfName(name);
      return (l) => {
        const v = l(name);
        if (typeof v === 'number') return { n: v, unit };
        if (typeof v === 'string') {
          const d = asDate(v);
          return d === undefined ? undefined : { date: d };
        }
        return undefined;
      };
    }
    throw new Error(`unexpected ${JSON.stringify(t)}`);
  };
  const expr = (min: number): Node => {
    let left = primary();
    for (;;) {
      const op = opAt(p);
      const prec = op === undefined ? undefined : PREC[op];
      if (op === undefined || prec === undefined || prec < min) return left;
      p++;
      const right = expr(prec + 1);
      const l0 = left;
      left = (l) => {
        const a = l0(l);
        const b = right(l);
        return a === undefined || b === undefined ? undefined : binary(op, a, b);
      };
    }
  };
  const root = expr(0);
  if (p !== toks.length) throw new Error('unexpected text after the formula');
  return root;
}
