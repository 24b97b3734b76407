import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';
import type { Io } from '../io.js';
import { EXIT, InputError, UsageError } from '../../errors.js';
import { conformanceCases, runConformance, type CaseResult } from '../../inventory/sql/pg/conformance.js';
import { LEVEL_NAMES, type Level } from '../../inventory/sql/hermitage.js';
import { conformanceSuite } from '../../report/ciSuites.js';
import { colorsFor } from '../../report/colors.js';

export const CONFORMANCE_SPEC: CommandSpec = {
  name: 'conformance',
  summary: 'run the SQL engine\'s cases against a real PostgreSQL and compare every outcome',
  usage: '--pg <url> [options]',
  description: 'Runs Hermitage\'s PostgreSQL cases and oversold\'s own SQL cases (the SQL strategies\' critical interleavings: the guarded and unguarded decrement, read-then-write, FOR UPDATE in a transaction and in autocommit, SUM-then-INSERT, the "reduced" flag, deadlocks, unique keys) at each isolation level, on the simulated engine and on the PostgreSQL at --pg, one connection per transaction, and compares every step: blocked or not, rows, row counts, SQLSTATEs, and the final tables (at SERIALIZABLE: the committed set, whether some transaction failed with 40001, and the tables). The cases drop and create their tables: point it at a scratch database, as a user allowed to set deadlock_timeout (a superuser).',
  options: [
    { name: 'pg', kind: 'string', value: 'URL', help: 'the PostgreSQL to compare with, e.g. postgres://postgres@127.0.0.1:5432/scratch (required)' },
    { name: 'level', kind: 'choice', choices: ['rc', 'rr', 'ser'], repeatable: true, help: 'only these isolation levels (read committed, repeatable read, serializable); default all three' },
    { name: 'case', kind: 'string', value: 'TEXT', repeatable: true, help: 'only cases whose name contains TEXT (e.g. G2-item, guarded-decrement)' },
    { name: 'json', kind: 'boolean', help: 'print the report as JSON: each case, its level and its disagreements' },
    ...REPORTER_OPTIONS,
  ],
  exit: '0 no disagreement, 1 some case disagrees, 2 bad input or usage (or the server cannot be reached).',
};

export async function conformanceCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(CONFORMANCE_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`conformance takes no positional arguments (found ${JSON.stringify(positionals[0])}); the server is --pg <url>`);
  const url = values.pg;
  if (typeof url !== 'string' || url === '') throw new UsageError('conformance needs --pg <url>, e.g. --pg postgres://postgres@127.0.0.1:5432/scratch');
  const reporters = reportersOf(values);
  const levels = (values.level as string[] | undefined) ?? [];
  const texts = (values.case as string[] | undefined) ?? [];
  const cases = conformanceCases().filter((c) => (levels.length === 0 || levels.includes(c.level)) && (texts.length === 0 || texts.some((t) => c.name.includes(t))));
  if (cases.length === 0) throw new UsageError(`no conformance case matches ${texts.map((t) => JSON.stringify(t)).join(', ')}`);
  const t0 = io.wallMs(); // wall-clock: reported time only
  let report;
  try {
    report = await runConformance({ connectionString: url }, cases);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000' || code === '28000') {
      throw new InputError(`conformance: cannot use the PostgreSQL at ${url}: ${(e as Error).message}`, 'PG_UNREACHABLE');
    }
    throw e;
  }
  const elapsedMs = io.wallMs() - t0;
  if (values.json) {
    io.out(JSON.stringify({ disagreements: report.disagreements, cases: report.cases.map((c) => ({ name: c.name, level: c.level, disagreements: c.disagreements })) }));
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    for (const r of report.cases) io.out(line(r, c));
    io.out('');
    io.out(report.disagreements === 0
      ? c.green(`${report.cases.length} cases, 0 disagreements with PostgreSQL`)
      : c.red(`${report.cases.length} cases, ${report.disagreements} disagreement${report.disagreements === 1 ? '' : 's'} with PostgreSQL`));
  }
  emitReporters([conformanceSuite(report, elapsedMs)], reporters, io, values.json === true);
  return report.disagreements === 0 ? EXIT.ok : EXIT.violated;
}

function line(r: CaseResult, c: ReturnType<typeof colorsFor>): string {
  const head = `${r.disagreements.length === 0 ? c.green('agree   ') : c.red('DISAGREE')} ${LEVEL_NAMES[r.level as Level].padEnd(15)} ${r.name}`;
  if (r.disagreements.length === 0) return head;
  return [head, ...r.disagreements.map((d) => `    ${d.step === 0 ? 'final tables' : `step ${d.step}`}: ${d.what}: simulated ${d.simulated}, PostgreSQL ${d.postgres}`)].join('\n');
}
