import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { cliAsync } from '../helpers/cliAsync.js';
import { ROOT } from '../helpers/scenarios.js';

// Exit 3 means "a bug in oversold". What a user's module does (or their disk) is a finding or
// bad input: here each hostile module gets exit 2 and one line, the same in every command,
// watched in a thread or in-process (--watchdog-s 0).
const fixture = (name: string) => `test/fixtures/hostile/${name}`;
const COMMANDS: ReadonlyArray<readonly string[]> = [['run'], ['run', '--watchdog-s', '0'], ['sweep', '--seeds', '5', '--workers', '1'], ['check', '--runs', '5']];
const CASES: ReadonlyArray<readonly [string, RegExp]> = [
  ['timer-throws.mjs', /threw outside placeOrder and recover \(from a timer or an unhandled promise rejection\?\): Error: timer at load$/],
  ['unhandled-rejection.mjs', /threw outside placeOrder and recover \(from a timer or an unhandled promise rejection\?\): Error: nobody handles this$/],
  ['exits.mjs', /exited \(code 0\)|called process\.exit\(0\)/],
  ['throwing-getter.mjs', /reading its strategy object threw no name for you \(a getter that throws, or a Proxy\?\)$/],
  ['proxy.mjs', /reading its strategy object threw trapped \(a getter that throws, or a Proxy\?\)$/],
  ['replaces-map-get.mjs', /a strategy module replaced built-ins oversold relies on \(Map\.prototype\.get\)/],
];

describe('what a strategy module does is never exit 3', () => {
  for (const [file, message] of CASES) {
    it(`${file}: exit 2 with one line in run, run --watchdog-s 0, sweep and check`, async () => {
      const results = await Promise.all(COMMANDS.map(([cmd, ...rest]) => cliAsync([cmd, 'scenarios/flash-sale.json', '--strategy', fixture(file), ...rest])));
      results.forEach((r, i) => {
        const what = `${COMMANDS[i].join(' ')}: ${r.stderr}`;
        expect(r.code, what).toBe(2);
        expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
        expect(r.stderr.trim(), what).toMatch(message);
      });
    });
  }
});
