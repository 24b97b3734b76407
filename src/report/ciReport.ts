import { esc } from './escape.js';

/**
 * Results for CI systems, in one shape every command can fill (sweep, check, validate, and an
 * exploring command later): suites of test cases, some failed. Two renderings: JUnit XML (a file
 * every CI server reads) and GitHub Actions workflow commands (annotations on the run and,
 * with a file and line, on the diff).
 */
export interface CiFailure {
  /** One line: what broke. */
  readonly title: string;
  /** The report, several lines (the counterexample in words, the replay command). */
  readonly details: string;
  /** Where to annotate, when there is a place: a scenario file, the user's strategy frame. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface CiCase {
  readonly name: string;
  readonly failure?: CiFailure;
  readonly timeMs?: number;
}

export interface CiSuite {
  /** e.g. "oversold sweep flash-sale-chaos · naive". */
  readonly name: string;
  readonly cases: readonly CiCase[];
  readonly timeMs?: number;
}

/** JUnit XML (the de-facto schema of Jenkins, GitLab, GitHub test reporters). */
export function junitXml(suites: readonly CiSuite[]): string {
  const attr = (s: string) => xmlText(s).replace(/\n/g, '&#10;');
  const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="oversold" tests="${tests}" failures="${failures}" errors="0">`];
  for (const s of suites) {
    const f = s.cases.filter((c) => c.failure).length;
    out.push(`  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="0" time="${secs(s.timeMs)}">`);
    for (const c of s.cases) {
      const open = `    <testcase classname="${attr(s.name)}" name="${attr(c.name)}"${c.failure?.file ? ` file="${attr(c.failure.file)}"` : ''} time="${secs(c.timeMs)}"`;
      if (!c.failure) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      out.push(`      <failure message="${attr(c.failure.title)}" type="invariant">${xmlText(c.failure.details)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** `::error file=…,line=…,title=…::message`, one line per failure (GitHub's escaping applied). */
export function githubAnnotations(suites: readonly CiSuite[]): string[] {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines: string[] = [];
  for (const s of suites) {
    for (const c of s.cases) {
      const f = c.failure;
      if (!f) continue;
      const props = [
        ...(f.file ? [`file=${prop(f.file)}`] : []),
        ...(f.file && f.line ? [`line=${f.line}`] : []),
        ...(f.file && f.line && f.column ? [`col=${f.column}`] : []),
        `title=${prop(`${s.name}: ${f.title}`)}`,
      ];
      lines.push(`::error ${props.join(',')}::${data(f.details)}`);
    }
  }
  return lines;
}

/** Escaped for XML, without the control characters XML 1.0 forbids (colour codes, NUL). */
function xmlText(s: string): string {
  return esc(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
}
