/**
 * A strategy module runs in oversold's own thread and can replace what the simulator relies
 * on (`Map.prototype.get = ...`). Whatever breaks then is not oversold's bug, and no verdict of
 * such a run can be trusted. A snapshot of the built-in prototypes taken when this module is
 * first evaluated (before any user module loads) lets a command name what changed.
 */
const GLOBALS = [
  'Object', 'Function', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'String', 'Number', 'Boolean',
  'Symbol', 'BigInt', 'Error', 'TypeError', 'RangeError', 'RegExp', 'Date', 'ArrayBuffer', 'SharedArrayBuffer',
  'Int32Array', 'Uint8Array', 'Float64Array', 'BigInt64Array', 'DataView', 'JSON', 'Math', 'Reflect', 'Atomics',
] as const;

// Captured before any user code: the comparison must not use what it checks (a replaced
// Map.prototype.get would make every entry look changed), so plain arrays and these.
const ownKeys = Reflect.ownKeys;
const descriptor = Reflect.getOwnPropertyDescriptor;
const same = Object.is;
const create = Object.create;
const createDictionary = () => create(null) as Record<string, unknown>;

interface Snapshot {
  readonly keys: string[];
  /** A null-prototype object: reading it goes through no prototype a module could replace. */
  readonly values: Record<string, unknown>;
}

function take(): Snapshot {
  const keys: string[] = [];
  const values = createDictionary();
  let n = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  for (let i = 0; i < GLOBALS.length; i++) {
    const name = GLOBALS[i];
    const ctor = g[name];
    keys[n++] = name;
    values[name] = ctor;
    if (ctor === null || (typeof ctor !== 'object' && typeof ctor !== 'function')) continue;
    const objs: Array<[string, unknown]> = [[name, ctor], [`${name}.prototype`, (ctor as { prototype?: unknown }).prototype]];
    for (let o = 0; o < 2; o++) {
      const [where, obj] = objs[o];
      if (obj === null || obj === undefined || (typeof obj !== 'object' && typeof obj !== 'function')) continue;
      const own = ownKeys(obj as object);
      for (let k = 0; k < own.length; k++) {
        const key = own[k];
        if (typeof key !== 'string' || key === 'prototype' || key === 'caller' || key === 'arguments') continue;
        const full = `${where}.${key}`;
        if (full === 'Error.prepareStackTrace' || full === 'Error.stackTraceLimit') continue;
        const d = descriptor(obj as object, key);
        if (!d) continue;
        keys[n++] = full;
        values[full] = 'value' in d ? d.value : d.get;
      }
    }
  }
  return { keys, values };
}

const atStart = take();

/** The built-ins that differ from the start-up snapshot ("Map.prototype.get"), at most `most`. */
export function changedBuiltins(most = 5): string[] {
  const now = take();
  const out: string[] = [];
  for (let i = 0; i < atStart.keys.length && out.length < most; i++) {
    const k = atStart.keys[i];
    if (!(k in now.values) || !same(now.values[k], atStart.values[k])) out[out.length] = k;
  }
  return out;
}

/** One line naming what a strategy module changed, or null when every built-in is as it was. */
export function builtinsChangedMessage(): string | null {
  const changed = changedBuiltins();
  if (changed.length === 0) return null;
  return `a strategy module replaced built-ins oversold relies on (${changed.join(', ')}): no result of this process can be trusted; modules must not modify built-in prototypes`;
}
