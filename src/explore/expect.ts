import type { Violation } from '../inventory/invariants.js';

export type Expect = {
  readonly violations: 'none' | 'any' | readonly string[];
  /** Goodput (orders placed / what the stock allowed) in thousandths: at least this. */
  readonly goodputPerMilleMin?: number;
  /** ... at most this (a strategy that loses orders: below 1000). */
  readonly goodputPerMilleMax?: number;
} | null | undefined;

export interface ExpectationResult {
  readonly met: boolean;
  readonly description: string;
}

/** Checks a scenario's `expect` block against a run's violations; null when there is none. */
export function checkExpectation(expect: Expect, violations: readonly Violation[], goodput?: number): ExpectationResult | null {
  if (!expect) return null;
  const v = checkViolations(expect, violations);
  if (goodput === undefined || (expect.goodputPerMilleMin === undefined && expect.goodputPerMilleMax === undefined)) return v;
  // Goodput is a ratio; compared in whole thousandths (floor), never as floats for equality.
  const perMille = Math.floor(goodput * 1000 + 1e-9);
  const min = expect.goodputPerMilleMin ?? 0;
  const max = expect.goodputPerMilleMax ?? 1000;
  const ok = perMille >= min && perMille <= max;
  const range = expect.goodputPerMilleMax === undefined ? `>= ${min}` : expect.goodputPerMilleMin === undefined ? `<= ${max}` : `${min}..${max}`;
  return { met: v.met && ok, description: `${v.description}; goodput ${range} per mille${ok ? '' : ` (was ${perMille})`}` };
}

function checkViolations(expect: NonNullable<Expect>, violations: readonly Violation[]): ExpectationResult {
  const broken: string[] = [...new Set(violations.map((v) => v.invariant as string))];
  const want = expect.violations;
  if (want === 'none') return { met: broken.length === 0, description: `no invariant breaks${broken.length ? ` (broke: ${broken.join(', ')})` : ''}` };
  if (want === 'any') return { met: broken.length > 0, description: `some invariant breaks${broken.length ? ` (broke: ${broken.join(', ')})` : ' (none did)'}` };
  const missing = want.filter((w) => !broken.includes(w));
  return { met: missing.length === 0, description: `${want.join(' and ')} ${want.length === 1 ? 'breaks' : 'break'}${missing.length ? ` (did not: ${missing.join(', ')})` : ''}` };
}
