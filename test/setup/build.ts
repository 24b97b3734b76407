// Global setup of every vitest run: compile src/ into dist/ first. Worker threads (sweeps,
// the watchdog's command thread) and the subprocess tests load dist/, and a test must never
// judge yesterday's build. tsc is native and takes a few seconds.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export default function build(): void {
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}
