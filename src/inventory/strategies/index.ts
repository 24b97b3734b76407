import type { Strategy } from '../strategy.js';
import { naive } from './naive.js';

/** Built-in strategies by CLI name, safe ones first. */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map([naive].map((s) => [s.name, s]));
