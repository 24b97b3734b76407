// test/inventory.prop.test.ts: the @fast-check/vitest recipe (npm install -D vitest @fast-check/vitest)
import { test } from '@fast-check/vitest';
import { strategyProperty } from 'oversold';
import myStrategy from '../../examples/my-strategy.js';

// "No invariant breaks" under every Chapter 8 fault of the flash-sale-chaos scenario, as a
// fast-check property: fast-check picks the seed (printed on failure with the path that
// replays it), fc.configureGlobal and the options below apply, and a failure is described in
// words with the anomaly explained and a replay file under .oversold/replays/.
const holds = strategyProperty('flash-sale-chaos', myStrategy, {
  strategyRef: new URL('../../examples/my-strategy.ts', import.meta.url),
});

test.prop([holds.arbitrary], { numRuns: 50 })('my placeOrder never breaks an invariant', holds.assertHolds);
