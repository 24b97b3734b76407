// The one shape every scenario error takes, and its one-line rendering.

/**
 * One thing wrong with a scenario file.
 * `path` is a JSONPath into the file: `$` is the whole document, `$.network.delayMsMax` a field,
 * `$.workload.orders[3].app` an array entry, `$["odd key"]` a key that is not an identifier.
 * It is "" for problems with the file itself (missing, too big, not JSON).
 */
export interface ScenarioProblem {
  file: string;
  path: string;
  expected: string;
  found: string;
  hint?: string;
  /** 1-based, when the problem has a place in the text. */
  line?: number;
  /** 1-based, in UTF-16 code units (as editors count). */
  column?: number;
}

// Escapes everything that could break the "one problem, one line" promise (or a terminal):
// control characters, and the Unicode line and paragraph separators.
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `file:line:column: path: expected ..., found ... — hint` on ONE line, e.g.
 * `scenarios/x.json:4:5: $.network: expected one of the keys "delayMsMin", ..., found unknown key "dealyMs" — did you mean "delayMsMin"?`
 */
export function formatProblem(p: ScenarioProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  const path = p.path === '' ? '' : ` ${p.path}:`;
  const hint = p.hint === undefined || p.hint === '' ? '' : ` — ${p.hint}`;
  return oneLine(`${where}:${path} expected ${p.expected}, found ${p.found}${hint}`);
}
