import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { githubAnnotations, junitXml, type CiSuite } from '../report/ciReport.js';
import type { Values } from './args.js';
import { InputError, UsageError } from '../errors.js';
import type { Io } from './io.js';
import type { OptionDef } from './options.js';

/**
 * `--reporter`, shared by every command that judges something (sweep, check, validate; an
 * exploring command adds REPORTER_OPTIONS to its table and calls emitReporters with its
 * suites). The command's own output is unchanged; reporters add to it.
 */
export const DEFAULT_JUNIT_FILE = 'oversold-junit.xml';

export const REPORTER_OPTIONS: readonly OptionDef[] = [
  {
    name: 'reporter', kind: 'string', value: 'R', repeatable: true,
    help: `also report for CI: "junit" writes JUnit XML to ${DEFAULT_JUNIT_FILE} ("junit=FILE" elsewhere); "github" prints GitHub Actions annotations (::error ...; on stderr with --json). May be repeated`,
  },
];

export interface Reporters {
  /** Where the JUnit XML goes (relative to the working directory), or null. */
  readonly junit: string | null;
  readonly github: boolean;
}

export function reportersOf(values: Values): Reporters {
  const asked = (values.reporter as string[] | undefined) ?? [];
  let junit: string | null = null;
  let github = false;
  for (const r of asked) {
    const [name, file] = r.split(/=(.*)/s, 2);
    if (name === 'junit') junit = file === undefined || file === '' ? DEFAULT_JUNIT_FILE : file;
    else if (name === 'github' && file === undefined) github = true;
    else throw new UsageError(`--reporter takes junit, junit=FILE or github, got ${JSON.stringify(r)}`);
  }
  return { junit, github };
}

/** Writes the JUnit file and prints the annotations the flags ask for. */
export function emitReporters(suites: readonly CiSuite[], reporters: Reporters, io: Io, json: boolean): void {
  if (reporters.junit !== null) {
    const file = resolve(io.cwd, reporters.junit);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, junitXml(suites));
    } catch (e) {
      throw new InputError(`--reporter junit=${reporters.junit}: cannot write it (${(e as { code?: string }).code ?? String(e)})`, 'CANNOT_WRITE');
    }
  }
  if (reporters.github) {
    // GitHub reads workflow commands from stdout and stderr alike; stdout stays one JSON object.
    for (const line of githubAnnotations(suites)) (json ? io.err : io.out)(line);
  }
}
