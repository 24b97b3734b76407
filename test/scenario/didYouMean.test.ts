import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/scenario/didYouMean.js';

describe('did-you-mean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('seed', 'seed')).toBe(0);
    expect(editDistance('sede', 'seed')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it.each([
    ['dealyMs', ['delayMsMin', 'delayMsMax', 'links'], 'delayMsMin'],
    ['delyMsMax', ['delayMsMin', 'delayMsMax'], 'delayMsMax'],
    ['seeds', ['seed', 'items'], 'seed'],
    ['ITEMS', ['seed', 'items'], 'items'],
    ['apServers', ['appServers', 'replicas'], 'appServers'],
    ['pasue', ['pause', 'crash'], 'pause'],
  ])('%s -> %s', (input, candidates, expected) => {
    expect(closestMatch(input, candidates)).toBe(expected);
  });

  it.each([
    ['zzzzzz', ['seed', 'items']],
    ['x', ['a', 'b']],
    ['', ['seed']],
    ['k'.repeat(5000), ['k']],
  ])('no guess for %s', (input, candidates) => {
    expect(closestMatch(input, candidates)).toBeUndefined();
  });
});
