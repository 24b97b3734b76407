import { loadScenario, searchSchedules, STRATEGIES, formatProblem, concludeSearch } from '../src/index.ts';
const [file, name, boundsJson, budget, sem, red] = process.argv.slice(2);
const l = loadScenario(file);
if (!l.ok) throw new Error(l.problems.map(formatProblem).join('\n'));
const st = STRATEGIES.get(name)!;
const t0 = performance.now();
const s = searchSchedules(l.scenario, st, { bounds: JSON.parse(boundsJson || '{}'), maxExecutions: Number(budget || 2000), semantics: (sem || 'timed') as any, reduction: red !== 'nored' });
const ms = performance.now() - t0;
console.log(name, boundsJson, sem, { exec: s.executions, blocked: s.blocked, unreal: s.unrealizable, states: s.finalStates.length, exhausted: s.exhausted, boundedBy: s.boundedBy, est: s.estimate, found: s.found?.violations.map(v => v.invariant), horizon: s.horizon, cut: s.cut, eventsMax: s.eventsMax, s: (ms/1000).toFixed(1) });
if (s.found) { const r = concludeSearch(s, st); console.log('confirmed', r.confirmed); }
