import {
  type CompiledFlow,
  compileFlow,
  type FlowRefusal,
  type FlowRow,
  flowFingerprint,
} from '../flows/compile-flow.js';
import type { FlowCheckOptions } from '../flows/flow-definition.js';
import { FlowSet } from './flow-set.js';

export interface ReloadPlan {
  readonly next: FlowSet;
  readonly added: string[];
  readonly removed: string[];
  readonly recompiled: string[];
  readonly unchanged: number;
  readonly refused: FlowRefusal[];
}

/**
 * Diffs the enabled flow rows against the running set: unchanged flows (same fingerprint) are kept as
 * compiled, new and changed ones are compiled, invalid ones are refused (and, if they ran before,
 * stopped — the database no longer describes the old version). Pure apart from the schema compiler's cache.
 */
export function planReload(
  current: FlowSet,
  rows: readonly FlowRow[],
  options: FlowCheckOptions,
): ReloadPlan {
  const next: CompiledFlow[] = [];
  const added: string[] = [];
  const recompiled: string[] = [];
  const refused: FlowRefusal[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const id = Number(row.id);
    const running = current.get(id);
    if (running && running.fingerprint === flowFingerprint(row)) {
      next.push(running);
      unchanged++;
      continue;
    }
    const compiled = compileFlow(row, options);
    if (!compiled.ok) {
      refused.push(compiled.refusal);
      continue;
    }
    next.push(compiled.flow);
    (running ? recompiled : added).push(row.code);
  }
  const nextSet = new FlowSet(next);
  const removed = [...current.all()].filter((f) => nextSet.get(f.id) === undefined).map((f) => f.code);
  return { next: nextSet, added, removed, recompiled, unchanged, refused };
}
