import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../../src/scenario/index.js';
import { MINIMAL } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'oversold-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('validateFiles (oversold validate)', () => {
  it('is ok with no lines when every file is valid', () => {
    expect(validateFiles([file('a.json', JSON.stringify(MINIMAL)), file('b.json', JSON.stringify(MINIMAL))])).toEqual({ ok: true, lines: [] });
  });

  it('lists every problem of every file, in argument order, one line each', () => {
    const good = file('good.json', JSON.stringify(MINIMAL));
    const bad = file('bad.json', JSON.stringify({ ...MINIMAL, seed: -1, network: { dealyMs: 1 } }));
    const missing = join(dir, 'missing.json');
    const result = validateFiles([missing, good, bad]);
    expect(result.ok).toBe(false);
    expect(result.lines).toEqual([
      `${missing}: expected a readable scenario file, found no such file`,
      `${bad}:1:44: $.seed: expected an integer from 0 to 4294967295, found -1`,
      `${bad}:1:68: $.network: expected one of the keys "delayMsMin", "delayMsMax", "dropRequestPerMille", "dropReplyPerMille", "duplicatePerMille", "reorderPerMille", ..., found unknown key "dealyMs" — did you mean "delayMsMin"?`,
    ]);
  });

  it('is not ok without files', () => {
    expect(validateFiles([])).toEqual({ ok: false, lines: ['oversold validate: no scenario files given'] });
  });
});
