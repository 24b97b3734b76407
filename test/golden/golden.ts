// The golden file (test/golden/trace-hashes.json) as the golden tests read it.
import { readFileSync } from 'node:fs';
import { GOLDEN_FILE } from '../../scripts/trace-hashes.js';

export interface Golden {
  readonly format: number;
  readonly traceFormat: number;
  readonly commit: string;
  readonly seeds: number;
  readonly count: number;
  readonly hashes: Record<string, string>;
}

export const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Golden;
