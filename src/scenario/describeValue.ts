// Short, single-line descriptions of hostile values for "found ..." in problems. Never
// stringifies a whole value: it may be megabytes long or thousands of levels deep.

const STRING_SHOWN_MAX = 40;
const KEYS_SHOWN_MAX = 3;

export function abbreviateString(text: string): string {
  if (text.length <= STRING_SHOWN_MAX) return JSON.stringify(text);
  const head = JSON.stringify(text.slice(0, STRING_SHOWN_MAX - 3));
  return `${head.slice(0, -1)}..." (${text.length} characters)`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? 'NaN' : 'a number too large to represent';
  }
  if (typeof value === 'string') return abbreviateString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array';
    return value.length === 1 ? 'an array of 1 entry' : `an array of ${value.length} entries`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, KEYS_SHOWN_MAX).map(abbreviateString).join(', ');
    return `an object with keys ${shown}${keys.length > KEYS_SHOWN_MAX ? ', ...' : ''}`;
  }
  return typeof value;
}
