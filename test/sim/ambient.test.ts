import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';

/**
 * Determinism by construction: nothing under src/ may read ambient time or entropy. The CLI
 * may measure wall-clock time for runs/s and ETA, on lines marked `wall-clock:`.
 */
const BANNED = /Math\.random|Date\.now|new Date\(|performance\.now|setTimeout|setInterval|setImmediate|process\.hrtime|crypto\.random|getRandomValues/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export function ambientHits(root: string): string[] {
  const hits: string[] = [];
  for (const f of files(join(root, 'src'))) {
    const rel = relative(root, f);
    // Comments and string literals may *name* the banned calls (error messages do); code may not.
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, "''").replace(/\/\/.*$/, '');
      if (!BANNED.test(code)) return;
      if (rel.startsWith('src/cli/') && line.includes('wall-clock:')) return;
      hits.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('determinism by construction', () => {
  it('src/ reads no ambient time or entropy (except marked CLI wall-clock measurement)', () => {
    expect(ambientHits(ROOT)).toEqual([]);
  });

  it('the scan ignores comments and strings that name a banned call', () => {
    const strip = (line: string) => line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, "''").replace(/\/\/.*$/, '');
    expect(BANNED.test(strip("throw new Error('do not use Math.random()')"))).toBe(false);
    expect(BANNED.test(strip('x = 1; // Date.now() would break replay'))).toBe(false);
    expect(BANNED.test(strip("const t = Date.now(); // 'quoted'"))).toBe(true);
  });

  it('the scan catches what it bans', () => {
    for (const bad of ['Math.random()', 'Date.now()', 'new Date()', 'performance.now()', 'setTimeout(f, 1)', 'setInterval(f)', 'setImmediate(f)', 'process.hrtime()']) {
      expect(BANNED.test(bad), bad).toBe(true);
    }
  });
});
