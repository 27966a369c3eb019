import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

/**
 * ajv's `code.regExp` engine for payload schemas: `pattern` and `patternProperties` run on RE2JS, a
 * pure-JavaScript RE2 that matches in time linear in the input, so a backtracking pattern such as
 * `^([a-z]+)+$` cannot hold the event loop. RE2 has no backreferences and no lookaround: a pattern that
 * needs them throws here, and the schema compiler reports it at flow creation.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    let re: RE2JS;
    try {
      re = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (e) {
      throw new Error(
        `pattern ${JSON.stringify(pattern)} is not supported by the linear-time regular expression engine (RE2: no backreferences or lookaround): ${(e as Error).message}`,
      );
    }
    // ajv caches compiled patterns by `toString()`: it must name the pattern.
    const matcher: RegExpLike & { toString(): string } = {
      test: (s: string) => re.test(s),
      toString: () => `re2:/${pattern}/${flags}`,
    };
    return matcher;
  },
  { code: 'linearRegExp' },
);
