import { INVARIANTS } from '../inventory/invariants.js';
import { parseThrownAt } from '../inventory/thrownAt.js';
import type { SweepReport } from '../explore/sweepReport.js';
import type { CiCase, CiFailure, CiSuite } from './ciReport.js';
import { plural } from './plural.js';

/**
 * The CI shape (ciReport.ts) of each command's result. A sweep or a check is one suite whose
 * cases are the invariants: a JUnit dashboard then says "unique-units failed" rather than
 * listing a hundred thousand seeds. A failure is annotated where it can be fixed: the user's
 * strategy frame for a strategy error, else the scenario file.
 */
export function sweepSuite(r: SweepReport, replay: (seed: number) => string, scenarioFile: string | null = r.scenarioPath): CiSuite {
  const name = `oversold sweep ${r.scenario} · ${r.strategy}`;
  const cases: CiCase[] = INVARIANTS.map((inv) => {
    const n = r.violationsByInvariant[inv] ?? 0;
    const first = r.tally.firstByInvariant[inv];
    if (n === 0 || !first) return { name: inv };
    const details = [
      `${inv} broke in ${plural(n, 'run')} of ${r.runs}; first at seed ${first.seed}: ${first.message}`,
      `replay: ${replay(first.seed)}`,
    ].join('\n');
    return { name: inv, failure: located({ title: `${inv} broke in ${plural(n, 'run')} (first: seed ${first.seed})`, details }, first.message, scenarioFile) };
  });
  if (r.interrupted) cases.push({ name: 'completed', failure: { title: 'interrupted before every seed ran', details: `interrupted after ${plural(r.runs, 'run')}` } });
  return { name, cases, timeMs: r.elapsedMs };
}

/** A check: one case per invariant the counterexample broke (or one passing case). */
export function checkSuite(
  c: { scenario: string; strategy: string; runs: number; violations: ReadonlyArray<{ invariant: string; message: string }>; report: string },
  scenarioFile: string | null,
): CiSuite {
  const name = `oversold check ${c.scenario} · ${c.strategy}`;
  if (c.violations.length === 0) return { name, cases: [{ name: `no invariant breaks (${plural(c.runs, 'property run')})` }] };
  const cases = c.violations.map((v): CiCase => ({
    name: v.invariant,
    failure: located({ title: `${v.invariant}: counterexample found`, details: c.report }, v.message, scenarioFile),
  }));
  return { name, cases };
}

/** An explore: one case per invariant a schedule broke, or one passing case saying what was proved or how far it got. */
export function exploreSuite(
  e: { scenario: string; strategy: string; statement: string; exhausted: boolean; violations: ReadonlyArray<{ invariant: string; message: string }>; confirmed: boolean | null; replayFile: string | null },
  scenarioFile: string | null,
): CiSuite {
  const name = `oversold explore ${e.scenario} · ${e.strategy}`;
  if (e.violations.length === 0) return { name, cases: [{ name: e.exhausted ? 'every schedule holds every invariant (exhausted)' : 'no violation so far (bounded: not a proof)' }] };
  const details = [e.statement, e.confirmed ? 'confirmed under the windowed model' : 'needs a timing the windows forbid', ...(e.replayFile ? [`replay: npx oversold replay ${e.replayFile}`] : [])].join('\n');
  const seen = new Set<string>();
  const cases: CiCase[] = [];
  for (const v of e.violations) {
    if (seen.has(v.invariant)) continue;
    seen.add(v.invariant);
    cases.push({ name: v.invariant, failure: located({ title: `${v.invariant}: a schedule breaks it`, details: `${v.message}\n${details}` }, v.message, scenarioFile) });
  }
  return { name, cases };
}

/** validate: one case per file; problems carry their own file:line:column. */
export function validateSuite(files: readonly string[], problems: ReadonlyArray<{ file: string; line?: number; column?: number; text: string }>): CiSuite {
  return {
    name: 'oversold validate',
    cases: files.map((f): CiCase => {
      const mine = problems.filter((p) => p.file === f);
      if (mine.length === 0) return { name: f };
      const p = mine[0];
      return {
        name: f,
        failure: { title: `${plural(mine.length, 'problem')}`, details: mine.map((x) => x.text).join('\n'), file: f, ...(p.line ? { line: p.line, column: p.column ?? 1 } : {}) },
      };
    }),
  };
}

/** A failure annotated at the user's frame when the message names one, else at the scenario file. */
function located(f: CiFailure, message: string, scenarioFile: string | null): CiFailure {
  const at = parseThrownAt(message);
  if (at) return { ...f, file: at.file, line: at.line, column: at.column };
  return scenarioFile ? { ...f, file: scenarioFile } : f;
}

/** conformance: one case per (case, level); a disagreement is a failure listing where both differ. */
export function conformanceSuite(
  r: { readonly cases: ReadonlyArray<{ readonly name: string; readonly level: string; readonly disagreements: ReadonlyArray<{ readonly step: number; readonly what: string; readonly simulated: string; readonly postgres: string }> }> },
  timeMs?: number,
): CiSuite {
  return {
    name: 'oversold conformance',
    ...(timeMs === undefined ? {} : { timeMs }),
    cases: r.cases.map((c): CiCase => {
      const name = `${c.name} (${c.level})`;
      if (c.disagreements.length === 0) return { name };
      const details = c.disagreements.map((d) => `${d.step === 0 ? 'final tables' : `step ${d.step}`}: ${d.what}: simulated ${d.simulated}, PostgreSQL ${d.postgres}`).join('\n');
      return { name, failure: { title: `${plural(c.disagreements.length, 'disagreement')} with PostgreSQL`, details } };
    }),
  };
}
