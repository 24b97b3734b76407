import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const CHAOS = 'scenarios/flash-sale-chaos.json';

describe('oversold sweep and merge', () => {
  it('bad usage exits 2 with one line', async () => {
    for (const args of [['sweep', CHAOS], ['sweep', CHAOS, '--seeds', '10', '--shard', '3/2'], ['sweep', CHAOS, '--seeds', '10', '--workers', '0']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
