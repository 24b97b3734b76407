/**
 * Whether two object graphs hold the same state: the same shape and the same values, object
 * for object, with the same sharing (an object reached twice in one graph is reached twice at
 * the same places in the other). Functions compare by their code (two worlds' closures are
 * different objects). Objects both graphs share (the config, module-level constants) are the
 * same by definition. Answers the first difference as a path, or null.
 *
 * For the world reset's test: a reset world and a new one must differ in nothing, whatever
 * field a future change adds (a reset that forgets one shows here before it shows in a trace).
 */
export function firstDifference(a: unknown, b: unknown, ignoreKeys: ReadonlySet<string> = new Set()): string | null {
  const pairs = new Map<object, object>();
  const back = new Map<object, object>();
  const stack: Array<[unknown, unknown, string]> = [[a, b, '$']];
  while (stack.length > 0) {
    const [x, y, path] = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== typeof y) return `${path}: ${typeof x} vs ${typeof y}`;
    if (typeof x === 'function') {
      if (String(x) !== String(y)) return `${path}: different functions`;
      continue;
    }
    if (typeof x !== 'object' || x === null || y === null) {
      if (!Object.is(x, y)) return `${path}: ${String(x)} vs ${String(y)}`;
      continue;
    }
    const ox = x as object;
    const oy = y as object;
    const seen = pairs.get(ox);
    if (seen !== undefined) {
      if (seen !== oy) return `${path}: shared differently`;
      continue;
    }
    if (back.has(oy)) return `${path}: shared differently`;
    pairs.set(ox, oy);
    back.set(oy, ox);
    if (Object.getPrototypeOf(ox) !== Object.getPrototypeOf(oy)) return `${path}: different classes`;
    if (ox instanceof Map) {
      const my = oy as Map<unknown, unknown>;
      if (ox.size !== my.size) return `${path}: a Map of ${ox.size} vs ${my.size}`;
      const ex = [...ox.entries()];
      const ey = [...my.entries()];
      for (let i = ex.length - 1; i >= 0; i--) {
        stack.push([ex[i][1], ey[i][1], `${path}.get(${String(ex[i][0])})`]);
        stack.push([ex[i][0], ey[i][0], `${path}.keys[${i}]`]);
      }
      continue;
    }
    if (ox instanceof Set) {
      const vx = [...ox];
      const vy = [...(oy as Set<unknown>)];
      if (vx.length !== vy.length) return `${path}: a Set of ${vx.length} vs ${vy.length}`;
      for (let i = vx.length - 1; i >= 0; i--) stack.push([vx[i], vy[i], `${path}.values[${i}]`]);
      continue;
    }
    const kx = Object.keys(ox).filter((k) => !ignoreKeys.has(k));
    const ky = Object.keys(oy).filter((k) => !ignoreKeys.has(k));
    if (kx.join() !== ky.join()) return `${path}: fields ${kx.join()} vs ${ky.join()}`;
    for (let i = kx.length - 1; i >= 0; i--) {
      const k = kx[i];
      stack.push([(ox as Record<string, unknown>)[k], (oy as Record<string, unknown>)[k], `${path}.${k}`]);
    }
  }
  return null;
}
