// The words of an explanation checked against its trace: every claim a step makes ("timed
// out", "duplicated", "paused", "behind", "expired at", "crashed", "lost", "refused",
// "charged") must stand on an event of that kind, the one the step names; and every class
// needs its witness among the steps (a timeout for a timeout taken for failure, ...).
import type { TraceEvent } from '../../src/sim/trace.js';
import type { Explanation } from '../../src/report/explain.js';

type Check = (e: TraceEvent) => boolean;
const domain = (pred: (what: string) => boolean): Check => (e) => e.type === 'domain' && pred(e.what);

const CLAIMS: ReadonlyArray<readonly [RegExp, string, Check]> = [
  [/timed out/, 'a timeout event', (e) => e.type === 'timeout'],
  [/duplicated/, 'a duplicate event', (e) => e.type === 'duplicate'],
  [/\bpaused\b/, 'a pause event', (e) => e.type === 'pause'],
  [/\bcrashed\b/, 'a crash event', (e) => e.type === 'crash'],
  [/writes? behind/, 'a replica read', domain((w) => w === 'replica-read')],
  [/expired at/, 'an expiry', domain((w) => w === 'lock:lease-expired' || w === 'db:expire')],
  [/\breaped\b/, 'a reap', domain((w) => w === 'db:reap')],
  [/lost by the network|dropped/, 'a drop', (e) => e.type === 'drop' || (e.type === 'send' && e.deliverAt < 0)],
  [/\brefused\b/, 'a refusal at the primary', domain((w) => w.endsWith('-refused'))],
  [/payment charged/, 'a charge', domain((w) => w === 'payment:charge')],
];

const WITNESS: Readonly<Record<string, readonly [string, Check]>> = {
  'unknown-outcome': ['a timeout', (e) => e.type === 'timeout'],
  'duplicate-refusal': ['a duplicate', (e) => e.type === 'duplicate'],
  'zombie-write': ['an expiry or a reap', domain((w) => w === 'lock:lease-expired' || w === 'db:expire' || w === 'db:reap')],
  'stale-read': ['a replica read', domain((w) => w === 'replica-read')],
  'double-charge': ['a charge', domain((w) => w === 'payment:charge')],
  'charge-without-sale': ['a charge', domain((w) => w === 'payment:charge')],
  'leaked-reservation': ['a reserve', domain((w) => w === 'db:reserve')],
};

/** Every false claim of an explanation, in words (empty when the words follow the trace). */
export function falseClaims(x: Explanation, trace: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  for (const s of x.steps) {
    const e = trace[s.index];
    if (s.event?.traceIndex !== s.index || s.event.type !== e.type) out.push(`step "${s.text}" does not name its event`);
    for (const [re, kind, ok] of CLAIMS) if (re.test(s.text) && !ok(e)) out.push(`"${s.text}" claims ${kind} but stands on ${JSON.stringify(e)}`);
  }
  const witness = WITNESS[x.anomaly];
  if (witness && !x.steps.some((s) => witness[1](trace[s.index]))) out.push(`${x.anomaly} without ${witness[0]} among its steps: ${x.text}`);
  return out;
}
