import type { Io } from './io.js';

/**
 * The progress line of sweep and check on stderr: runs, runs/s, failures so far (sweep) and
 * ETA, redrawn in place at most every 200 ms. Only for a terminal: piped or redirected stderr
 * stays clean. After done() it draws nothing more.
 */
export interface Progress {
  add(runs: number, failures: number): void;
  /** Erases the line (before the final report is printed). */
  done(): void;
}

const REDRAW_MS = 200;

export interface ProgressOptions {
  /** Show the failures so far (sweep; check cannot know them before the end). Default true. */
  readonly failures?: boolean;
  /**
   * What runs past `total` are (check: shrinking a counterexample). Without it the count
   * simply goes on.
   */
  readonly pastTotal?: string;
}

export function progressLine(io: Io, total: number, enabled: boolean, write: (text: string) => void = io.errRaw ?? ((t) => process.stderr.write(t)), opts: ProgressOptions = {}): Progress {
  if (!enabled) return { add: () => {}, done: () => {} };
  const showFailures = opts.failures !== false;
  let finished = false;
  const t0 = io.wallMs(); // wall-clock: progress display only
  let runs = 0;
  let failures = 0;
  let lastDraw = -Infinity;
  let drawn = false;
  const draw = () => {
    const elapsedMs = io.wallMs() - t0; // wall-clock: progress display only
    const rate = elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0;
    const etaS = rate > 0 ? Math.ceil((total - runs) / rate) : null;
    const pct = total > 0 ? Math.floor((runs * 100) / total) : 100;
    const failing = showFailures ? ` · ${failures} failing` : '';
    const text = runs > total && opts.pastTotal
      ? `${runs} runs (${total} asked) · ${Math.round(rate)} runs/s${failing} · ${opts.pastTotal}`
      : `${runs}/${total} runs (${pct}%) · ${Math.round(rate)} runs/s${failing} · ETA ${etaS === null ? '?' : formatSeconds(Math.max(0, etaS))}`;
    write(`\r\x1b[2K${text}`);
    drawn = true;
  };
  return {
    add(r, f) {
      if (finished) return;
      runs += r;
      failures += f;
      const now = io.wallMs(); // wall-clock: progress display only
      if (now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawn) write('\r\x1b[2K');
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
