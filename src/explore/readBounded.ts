import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a regular file of at most `maxBytes` as UTF-8, or answers why not in words ("not a
 * regular file (a device, pipe or socket)", "too big (N bytes; at most M)", "no such file").
 * Opened non-blocking and checked on the open descriptor: a FIFO neither blocks the open
 * nor gets read, /dev/zero is refused before a byte is read, and a file swapped between a
 * stat and the read cannot slip through.
 */
export function readRegularFile(path: string, maxBytes: number): { ok: true; text: string } | { ok: false; why: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, why: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : `cannot read it (${code ?? String(e)})` };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, why: 'a directory, not a file' };
    if (!st.isFile()) return { ok: false, why: 'not a regular file (a device, pipe or socket)' };
    if (st.size > maxBytes) return { ok: false, why: `too big (${st.size} bytes; at most ${maxBytes})` };
    // The size may change under us: read at most one byte past the limit to notice.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes, st.size) + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buf.length) break;
    }
    if (filled > maxBytes) return { ok: false, why: `too big (more than ${maxBytes} bytes)` };
    if (filled === buf.length) return { ok: false, why: 'it grew while being read (still being written?)' };
    return { ok: true, text: buf.subarray(0, filled).toString('utf8') };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, why: `cannot read it (${code ?? String(e)})` };
  } finally {
    closeSync(fd);
  }
}
