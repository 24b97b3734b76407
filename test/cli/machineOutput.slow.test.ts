import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnCli as cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/scenarios.js';

const printer = resolve(ROOT, 'test/fixtures/hostile/prints-to-stdout.mjs');

describe('machine output stays machine output', () => {
  it('a strategy that prints to stdout never corrupts --json (its lines go to stderr), in run, sweep and check, watched or not', () => {
    for (const args of [
      ['run', 'scenarios/flash-sale.json'],
      ['run', 'scenarios/flash-sale.json', '--watchdog-s', '0'],
      ['sweep', 'scenarios/flash-sale.json', '--seeds', '3', '--workers', '1'],
      ['check', 'scenarios/flash-sale.json', '--runs', '3'],
    ]) {
      const r = cli([...args, '--strategy', printer, '--json']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
      expect(r.stderr, args.join(' ')).toContain('hello from placeOrder');
    }
  });

  it('a full stdout (--json > /dev/full) is one line on stderr and exit 2, never a stack trace or exit 1', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--json'], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('oversold: cannot write to stdout (ENOSPC: no space left on the device): the output is lost\n');
    } finally {
      closeSync(full);
    }
  });
});
