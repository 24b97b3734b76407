import type { Violation } from '../inventory/invariants.js';

export type Expect = { readonly violations: 'none' | 'any' | readonly string[] } | null | undefined;

export interface ExpectationResult {
  readonly met: boolean;
  readonly description: string;
}

/** Checks a scenario's `expect` block against a run's violations; null when there is none. */
export function checkExpectation(expect: Expect, violations: readonly Violation[]): ExpectationResult | null {
  if (!expect) return null;
  const broken: string[] = [...new Set(violations.map((v) => v.invariant as string))];
  const want = expect.violations;
  if (want === 'none') return { met: broken.length === 0, description: `no invariant breaks${broken.length ? ` (broke: ${broken.join(', ')})` : ''}` };
  if (want === 'any') return { met: broken.length > 0, description: `some invariant breaks${broken.length ? ` (broke: ${broken.join(', ')})` : ' (none did)'}` };
  const missing = want.filter((w) => !broken.includes(w));
  return { met: missing.length === 0, description: `${want.join(' and ')} ${want.length === 1 ? 'breaks' : 'break'}${missing.length ? ` (did not: ${missing.join(', ')})` : ''}` };
}
