import { describe, expect, it } from 'vitest';
import { firstTraceDifference } from '../../src/explore/determinism.js';

describe('determinism checks', () => {
  it('firstTraceDifference finds the first differing line, or the end of the shorter trace', () => {
    expect(firstTraceDifference(['a', 'b'], ['a', 'b'])).toBeNull();
    expect(firstTraceDifference(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual({ index: 1, first: 'b', second: 'x', lastCommon: 'a' });
    expect(firstTraceDifference(['a'], ['a', 'b'])).toEqual({ index: 1, first: null, second: 'b', lastCommon: 'a' });
  });
});
