import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { compileDriver } from '../driver-spec/compile-driver.js';
import { validateDriverSpec } from '../driver-spec/validate-driver-spec.js';
import type { MeterDriver } from '../drivers/meter-driver.js';
import { parseXmq } from './xmq-parser.js';
import { xmqToSpec } from './xmq-to-spec.js';

/** One problem in a driver file: the file, the line (when known), the JSON path and what is wrong. */
export interface DriverFileProblem {
  readonly file: string;
  readonly line?: number;
  readonly path: string;
  readonly message: string;
}

export type ParsedDriverFile =
  | {
      readonly ok: true;
      readonly driver: MeterDriver;
      /** Constructs left out (xmq features iotgw does not implement). */
      readonly warnings: readonly DriverFileProblem[];
    }
  | { readonly ok: false; readonly problems: readonly DriverFileProblem[] };

/** Limit on one driver file (bytes): a driver is a few KiB; anything larger is refused. */
export const MAX_DRIVER_FILE_BYTES = 1024 * 1024;

function pathSegments(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The line of the deepest YAML/JSON node on `pointer`. */
function yamlLine(root: Node | null, pointer: string, counter: LineCounter): number | undefined {
  let node: unknown = root;
  let best: number | undefined = (root as Node | null)?.range?.[0];
  for (const seg of pathSegments(pointer)) {
    let next: unknown;
    if (isMap(node)) next = node.get(seg, true);
    else if (isSeq(node) && typeof seg === 'number') next = node.get(seg, true);
    if (next === undefined || next === null) break;
    node = next;
    const start = (node as Node).range?.[0];
    if (start !== undefined) best = start;
  }
  return best === undefined ? undefined : counter.linePos(best).line;
}

/**
 * Parses, validates and compiles one driver file's text: `.json`, `.yaml`/`.yml` (iotgw format) or `.xmq`
 * (wmbusmeters' format, converted). Pure: the caller reads the file. Every problem names the file, the
 * line and the JSON path; one bad file never affects another.
 */
export function parseDriverFile(file: string, text: string): ParsedDriverFile {
  const bad = (problems: DriverFileProblem[]): ParsedDriverFile => ({ ok: false, problems });
  if (text.length > MAX_DRIVER_FILE_BYTES)
    return bad([{ file, path: '/', message: `file is larger than ${MAX_DRIVER_FILE_BYTES} bytes` }]);
  let value: unknown;
  let lineOf: (pointer: string) => number | undefined;
  let warnings: DriverFileProblem[] = [];
  if (file.endsWith('.xmq')) {
    const x = parseXmq(text);
    if (!x.ok) return bad([{ file, line: x.line, path: '/', message: `xmq syntax: ${x.message}` }]);
    const c = xmqToSpec(x.nodes);
    value = c.value;
    warnings = c.warnings.map((w) => ({ file, line: w.line, path: w.path, message: w.message }));
    lineOf = (pointer) => {
      for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
        const l = c.lines.get(p === '' ? '/' : p);
        if (l !== undefined || p === '') return l;
      }
    };
  } else {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0)
      return bad(
        doc.errors.map((e) => ({
          file,
          line: counter.linePos(e.pos[0]).line,
          path: '/',
          message: `${file.endsWith('.json') ? 'JSON' : 'YAML'} syntax: ${e.message.split('\n')[0]}`,
        })),
      );
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return bad([
        { file, path: '/', message: `${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}` },
      ]);
    }
    lineOf = (pointer) => yamlLine(doc.contents, pointer, counter);
  }
  const v = validateDriverSpec(value);
  if (!v.ok)
    return bad(
      v.problems.map((p) => {
        const line = lineOf(p.path);
        return { file, path: p.path, message: p.message, ...(line === undefined ? {} : { line }) };
      }),
    );
  try {
    return { ok: true, driver: compileDriver(v.spec), warnings };
  } catch (e) {
    const [path = '/', ...rest] = (e as Error).message.split(' ');
    const line = lineOf(path);
    return bad([{ file, path, message: rest.join(' '), ...(line === undefined ? {} : { line }) }]);
  }
}

/** "file:line: /path: message", the one-line form the CLI and the edge log print. */
export function formatDriverProblem(p: DriverFileProblem): string {
  return `${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.path}: ${p.message}`;
}
