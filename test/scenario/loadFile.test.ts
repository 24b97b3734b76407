import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, LIMITS, loadScenarioFile } from '../../src/scenario/index.js';
import { MINIMAL } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'oversold-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(path: string): string[] {
  const result = loadScenarioFile(path);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('loadScenarioFile', () => {
  it('loads a valid file and names the scenario after it', () => {
    const path = join(dir, 'flash-sale.json');
    writeFileSync(path, JSON.stringify(MINIMAL));
    const result = loadScenarioFile(path);
    expect(result.ok && result.scenario.name).toBe('flash-sale');
  });

  it('reports a missing file', () => {
    const path = join(dir, 'nope.json');
    expect(lines(path)).toEqual([`${path}: expected a readable scenario file, found no such file`]);
  });

  it('reports a directory', () => {
    const path = join(dir, 'sub');
    mkdirSync(path);
    expect(lines(path)).toEqual([`${path}: expected a readable scenario file, found a directory — pass the .json files inside it`]);
  });

  it('reports a path through a file', () => {
    const file = join(dir, 'plain.json');
    writeFileSync(file, '{}');
    expect(lines(join(file, 'x.json'))[0]).toContain('expected a readable scenario file, found a path through something that is not a directory');
  });

  it('refuses a file over 1 MiB without reading it', () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(lines(path)).toEqual([`${path}: expected a file of at most 1 MiB (1048576 bytes), found 10485760 bytes — `
      + 'scenario files are small: use workload.generate instead of listing thousands of orders']);
  });

  it('accepts a file of exactly 1 MiB', () => {
    const path = join(dir, 'exact.json');
    const body = JSON.stringify(MINIMAL);
    writeFileSync(path, body + ' '.repeat(LIMITS.fileBytesMax - body.length));
    expect(loadScenarioFile(path).ok).toBe(true);
  });

  it('reports bytes that are not UTF-8', () => {
    const path = join(dir, 'latin1.json');
    writeFileSync(path, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    expect(lines(path)).toEqual([`${path}: expected UTF-8 text, found bytes that are not UTF-8 — save the file as UTF-8`]);
  });

  it('reports an unreadable file', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const path = join(dir, 'secret.json');
    writeFileSync(path, '{}');
    chmodSync(path, 0o000);
    expect(lines(path)).toEqual([`${path}: expected a readable scenario file, found a file it may not read (permission denied)`]);
  });

  it('reports an empty path', () => {
    expect(lines('')).toEqual([': expected a path to a scenario file, found an empty path']);
  });

  it('gives line and column for syntax errors in files', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "items": [\n    {"id": "vase", "stock": 10},\n  ]\n}\n');
    expect(lines(path)).toEqual([`${path}:4:3: expected a value, found "]" — JSON does not allow a comma before "]"`]);
  });
});
