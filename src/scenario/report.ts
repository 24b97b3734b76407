// How cross-field checks report: a custom zod issue carrying the structured problem, so the
// loader formats it like any other issue. A budget stops a hostile file from producing
// millions of issues (only the first few are shown anyway).
import type { z } from 'zod';

export type IssuePath = (string | number)[];

export interface CheckReporter {
  (path: IssuePath, expected: string, found: string, hint?: string): void;
}

const CROSS_CHECK_ISSUES_MAX = 1000;

export function reporterFor(ctx: z.RefinementCtx): CheckReporter {
  let reported = 0;
  return (path, expected, found, hint) => {
    reported += 1;
    if (reported > CROSS_CHECK_ISSUES_MAX) return;
    ctx.addIssue({ code: 'custom', path, message: `expected ${expected}, found ${found}`, params: { expected, found, hint } });
  };
}

export function quote(text: string): string {
  return JSON.stringify(text);
}

/** `"a", "b", "c"`, at most `max` entries then "...". */
export function quoteList(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map(quote).join(', ');
  return names.length > max ? `${shown}, ...` : shown;
}

/** `$.a.b[2]`, the same form the loader prints. */
export function pathText(path: IssuePath): string {
  let text = '$';
  for (const seg of path) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) text += `.${seg}`;
    else text += `[${JSON.stringify(seg)}]`;
  }
  return text;
}
