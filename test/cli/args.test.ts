// Argument parsing and help, as a user meets them: every command's help is generated from the
// option table its parser uses, and every mistake is one line of ours on stderr, exit 2.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { parseCommandArgs } from '../../src/cli/args.js';
import { renderHelp } from '../../src/cli/help.js';
import { allOptions } from '../../src/cli/options.js';
import { UsageError } from '../../src/errors.js';
import { run } from '../helpers/memoryIo.js';

const NODE_WORDS = /ERR_PARSE_ARGS|parseArgs|To specify an option argument|argument missing|TypeError/;

describe('help is generated from the table the parser uses', () => {
  for (const [name, cmd] of Object.entries(COMMANDS)) {
    it(`${name} --help lists every flag ${name} accepts, and the parser accepts each one`, async () => {
      const r = await run([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`oversold ${name} `)).toBe(true);
      for (const o of allOptions(cmd.spec)) {
        expect(r.stdout, `--${o.name}`).toMatch(new RegExp(`(^|\\s)--${o.name}(\\s|$)`, 'm'));
        const argv = o.kind === 'boolean' ? [`--${o.name}`] : [`--${o.name}`, o.kind === 'choice' ? o.choices![0] : '1'];
        expect(() => parseCommandArgs(cmd.spec, argv), `--${o.name}`).not.toThrow();
      }
    });
  }

  it('oversold help run prints exactly what oversold run --help prints', async () => {
    const a = await run(['help', 'run']);
    const b = await run(['run', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('--seed N');
  });

  it('help wraps to the width it is given', () => {
    for (const width of [60, 100]) {
      const lines = renderHelp(COMMANDS.sweep.spec, width).split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
    }
  });
});

describe('usage errors: one line of ours on stderr, exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /usage: oversold <command>/],
    ['an unknown command', ['rnu'], /unknown command "rnu" — did you mean "run"\?/],
    ['help for an unknown command', ['help', 'swep'], /unknown command "swep" — did you mean "sweep"\?/],
    ['a missing flag value at the end', ['run', 'flash-sale', '--strategy'], /^oversold run: --strategy needs a value \(S\), got nothing after it/],
    ['a missing flag value before another flag', ['run', 'flash-sale', '--trace', '--json'], /--trace needs a value \(FILE\), got the flag --json/],
    ['a repeated single-value flag', ['run', 'flash-sale', '--seed', '1', '--seed', '2'], /--seed was given twice \("1" and "2"\): give it once/],
    ['a negative seed', ['run', 'flash-sale', '--seed', '-5'], /--seed -5: negative seeds are refused; a seed is a whole number from 0 to 4294967295/],
    ['a negative seed with =', ['check', 'flash-sale', '--seed=-5'], /negative seeds are refused/],
    ['a seed that is not a number', ['run', 'flash-sale', '--seed', 'abc'], /--seed takes a whole number, got "abc"/],
    ['a value for a switch', ['run', 'flash-sale', '--json=yes'], /--json is a switch and takes no value/],
    ['an unknown flag, with a suggestion', ['run', 'flash-sale', '--sede', '3'], /unknown option --sede — did you mean "--seed"\?/],
    ['an out-of-range number', ['sweep', 'flash-sale', '--seeds', '0'], /--seeds must be between 1 and 100000000, got 0/],
    ['two scenarios', ['run', 'a.json', 'b.json'], /run takes exactly one scenario/],
    ['no scenario', ['check'], /check takes exactly one scenario .* got none/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(NODE_WORDS);
      if (argv.length > 0) expect(r.stderr.split('\n')).toHaveLength(1);
    });
  }

  it('oversold --version is package.json\'s version', async () => {
    const { readFileSync } = await import('node:fs');
    const { ROOT } = await import('../helpers/scenarios.js');
    const version = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version;
    expect((await run(['--version'])).stdout).toBe(`oversold ${version}`);
  });

  it('oversold --help and oversold help go to stdout, exit 0', async () => {
    for (const argv of [['--help'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('usage: oversold <command>');
      expect(r.stderr).toBe('');
    }
  });

  it('accepts --name=value, -o value, and -- before positionals', () => {
    const spec = COMMANDS.export.spec;
    expect(parseCommandArgs(spec, ['r.json', '--out=x.json']).values.out).toBe('x.json');
    expect(parseCommandArgs(spec, ['r.json', '-o', 'y.json']).values.out).toBe('y.json');
    expect(parseCommandArgs(spec, ['-o', 'y.json', '--', '--odd.json']).positionals).toEqual(['--odd.json']);
    expect(parseCommandArgs(COMMANDS.run.spec, ['x', '--seed', '7']).values.seed).toBe(7);
    expect(() => parseCommandArgs(spec, ['-o'])).toThrow(UsageError);
  });
});
