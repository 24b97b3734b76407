import { replayDifference, type ReplayFile } from '../explore/replayFile.js';

interface RunLike {
  readonly traceHash: string;
  readonly verdict: string;
  readonly violations: ReadonlyArray<{ readonly invariant: string }>;
}

export interface RecordingComparison {
  /** Same trace and same verdict as recorded. */
  readonly same: boolean;
  /** The trace hash equals the recorded one. */
  readonly traceMatches: boolean;
  /** One line for people: "matches the recording ..." or "MISMATCH: ... Why: ...". */
  readonly line: string;
  /** Fields for --json: matchesRecording stays the caller's (trace hash equality). */
  readonly json: { verdictMatchesRecording: boolean; fileEdited: boolean | null; strategyChanged: boolean | null };
}

/**
 * A replayed run against its recording, for replay, why and export alike. "same run, same
 * verdict" only when the trace hash and the verdict (and its invariants) both agree: an edited
 * file can keep the trace hash and change the verdict. A mismatch says what differs and why,
 * as far as the file can tell (its embedded content hash, the strategy module's hash).
 */
export function compareWithRecording(data: ReplayFile, run: RunLike, strategyRef: string, cwd: string): RecordingComparison {
  const traceMatches = run.traceHash === data.traceHash;
  const verdictMatches = run.verdict === data.verdict && invariantsOf(run.violations) === invariantsOf(data.violations);
  const d = replayDifference(data, strategyRef, cwd);
  const json = { verdictMatchesRecording: verdictMatches, fileEdited: data.edited, strategyChanged: d.strategy === 'unknown' ? null : d.strategy === 'changed' };
  if (traceMatches && verdictMatches) return { same: true, traceMatches, line: `matches the recording (trace ${data.traceHash}): same run, same verdict`, json };
  const was = verdictText(data.verdict, data.violations);
  const now = verdictText(run.verdict, run.violations);
  const trace = traceMatches ? `same trace ${run.traceHash} as recorded, but` : `recorded trace ${data.traceHash}, this run ${run.traceHash};`;
  const verdict = verdictMatches ? `same verdict (${now})` : `recorded verdict ${was}, this run ${now}`;
  return { same: false, traceMatches, line: `MISMATCH: ${trace} ${verdict}. Why: ${d.text}; what follows is the new run's.`, json };
}

function invariantsOf(vs: ReadonlyArray<{ readonly invariant: string }>): string {
  return [...new Set(vs.map((v) => v.invariant))].sort().join(',');
}

function verdictText(verdict: string, vs: ReadonlyArray<{ readonly invariant: string }>): string {
  return vs.length === 0 ? verdict : `${verdict} (${[...new Set(vs.map((v) => v.invariant))].join(', ')})`;
}
