import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineColumnAt } from '../../src/scenario/jsonSyntax.js';
import { locateJsonPath } from '../../src/scenario/jsonLocate.js';

const NUM_RUNS = Number(process.env.OVERSOLD_FC_RUNS ?? 200);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// Text that is almost JSON: the characters JSON is made of, in random order.
const jsonishText = fc.array(fc.constantFrom(...'{}[]:,"\\ \n01-.eE+tfnrulsa"x'.split(''), '"a"', 'true', 'null', '1.5'), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('the JSON syntax checker agrees with JSON.parse', () => {
  it('accepts everything JSON.stringify writes (within the nesting limit)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 10 }), fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }), { numRuns: NUM_RUNS });
  });

  it('rejects exactly what JSON.parse rejects, on near-JSON text', () => {
    fc.assert(fc.property(jsonishText, (text) => {
      const error = findJsonSyntaxError(text);
      expect(error === undefined, JSON.stringify(text)).toBe(parses(text));
      if (error !== undefined) expect(error.offset).toBeLessThanOrEqual(text.length);
    }), { numRuns: NUM_RUNS * 5 });
  });

  it('rejects exactly what JSON.parse rejects, on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
      expect(findJsonSyntaxError(text) === undefined, JSON.stringify(text)).toBe(parses(text));
    }), { numRuns: NUM_RUNS });
  });

  it('accepts 64 levels of nesting and refuses 65', () => {
    expect(findJsonSyntaxError('['.repeat(64) + ']'.repeat(64))).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(65) + ']'.repeat(65))?.found).toBe('arrays or objects nested too deeply');
  });
});

describe('positions', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\r\ncd', 5)).toEqual({ line: 2, column: 2 });
  });

  it('locates any path of a parsed document at its value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      const walk = (node: unknown, path: (string | number)[]): void => {
        const at = locateJsonPath(text, path);
        // The value starting at `at` is the value at `path` (the last duplicate key wins in both).
        const rest = text.slice(at);
        expect(rest.startsWith(JSON.stringify(node, null, pretty ? 2 : undefined)?.split('\n')[0] ?? '')).toBe(true);
        if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
        else if (typeof node === 'object' && node !== null) {
          for (const [k, child] of Object.entries(node)) walk(child, [...path, k]);
        }
      };
      walk(value, []);
    }), { numRuns: NUM_RUNS });
  });

  it('falls back to the deepest existing ancestor', () => {
    const text = '{"a": {"b": [1, 2]}}';
    expect(locateJsonPath(text, ['a', 'b', 5])).toBe(text.indexOf('['));
    expect(locateJsonPath(text, ['a', 'zz'])).toBe(text.indexOf('{"b"'));
  });
});
