/** One xmq element: `key = value` or `key { children }`, with the line it starts on (1-based). */
export interface XmqNode {
  readonly key: string;
  readonly value?: string;
  readonly children?: XmqNode[];
  readonly line: number;
}

export type XmqResult =
  | { readonly ok: true; readonly nodes: XmqNode[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

class XmqSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const KEY = /[A-Za-z_][A-Za-z0-9_.:-]*/y;

/**
 * Parses the xmq subset wmbusmeters' driver files use: `key = value`, `key { … }`, values bare or quoted
 * with runs of ' or " (a run of n quotes closes with the same run; '' is empty), // and /* *\/ comments.
 * Pure; reports the first syntax error with its line.
 */
export function parseXmq(text: string): XmqResult {
  let i = 0;
  let line = 1;
  const n = text.length;

  const skip = (): void => {
    for (;;) {
      const c = text[i];
      if (c === '\n') {
        line++;
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r') i++;
      else if (c === '/' && text[i + 1] === '/') {
        while (i < n && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) throw new XmqSyntaxError(line, 'comment /* is never closed');
        for (let k = i; k < end; k++) if (text[k] === '\n') line++;
        i = end + 2;
      } else return;
    }
  };

  const quoted = (): string => {
    const q = text[i] as string;
    let run = 0;
    while (text[i + run] === q) run++;
    if (run === 2) {
      i += 2;
      return '';
    }
    const start = i + run;
    const close = q.repeat(run);
    const end = text.indexOf(close, start);
    if (end < 0) throw new XmqSyntaxError(line, `quote ${close} is never closed`);
    const value = text.slice(start, end);
    for (const ch of value) if (ch === '\n') line++;
    i = end + run;
    return value;
  };

  const bare = (): string => {
    const start = i;
    while (i < n && !/[\s{}]/.test(text[i] as string)) i++;
    return text.slice(start, i);
  };

  const nodes = (depth: number): XmqNode[] => {
    const out: XmqNode[] = [];
    for (;;) {
      skip();
      if (i >= n) {
        if (depth > 0) throw new XmqSyntaxError(line, 'missing }');
        return out;
      }
      if (text[i] === '}') {
        if (depth === 0) throw new XmqSyntaxError(line, 'unexpected }');
        i++;
        return out;
      }
      KEY.lastIndex = i;
      const m = KEY.exec(text);
      if (m === null)
        throw new XmqSyntaxError(line, `expected a name, found '${text.slice(i, i + 12).split('\n')[0]}'`);
      const key = m[0];
      const at = line;
      i += key.length;
      skip();
      if (text[i] === '=') {
        i++;
        skip();
        if (i >= n) throw new XmqSyntaxError(line, `${key} = has no value`);
        const c = text[i];
        const value = c === "'" || c === '"' ? quoted() : bare();
        out.push({ key, value, line: at });
      } else if (text[i] === '{') {
        i++;
        out.push({ key, children: nodes(depth + 1), line: at });
      } else throw new XmqSyntaxError(line, `expected = or { after ${key}`);
    }
  };

  try {
    return { ok: true, nodes: nodes(0) };
  } catch (e) {
    if (e instanceof XmqSyntaxError) return { ok: false, line: e.line, message: e.message };
    throw e;
  }
}
