// How a run is driven and judged: the strategy under test, the budgets, the expected verdict.
import { z } from 'zod';
import { INVARIANT_NAMES, LIMITS } from './limits.js';
import { intIn } from './fields.js';
import { reporterFor } from './report.js';
import { checkStrategy } from './strategyOptions.js';

// Option keys become object keys, so the prototype-related names are refused outright.
const OPTION_KEY_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z][A-Za-z0-9_.-]*$/;

const optionValueSchema = z.union([
  z.number().int(),
  z.string().max(LIMITS.strategyOptionStringLengthMax),
  z.boolean(),
]);

/** Strategy options (jsonSchema.ts marks this node `maxProperties`, which zod records lack). */
export const strategyOptionsSchema = z.record(
  z.string().max(LIMITS.idLengthMax).regex(OPTION_KEY_PATTERN, {
    error: 'an option name: a letter, then letters, digits, ".", "_" or "-" (not __proto__, constructor or prototype)',
  }),
  optionValueSchema,
).superRefine((options, ctx) => {
  const count = Object.keys(options).length;
  if (count > LIMITS.strategyOptionsMax) {
    ctx.addIssue({ code: 'custom', message: 'too many options',
      params: { expected: `at most ${LIMITS.strategyOptionsMax} options`, found: `${count} options` } });
  }
});

export const strategySchema = z.strictObject({
  name: z.string().min(1).max(LIMITS.nameLengthMax).default('naive')
    .describe('The placeOrder strategy under test: a built-in name (e.g. "naive") or the path to your own module (e.g. "./my-strategy.ts").'),
  options: strategyOptionsSchema.default({})
    .describe('Strategy options. A built-in strategy takes only its documented integer options (e.g. {"leaseTicks": 5}); '
      + 'your own strategy (a module path) takes any integers, strings or booleans.'),
})
  // Runs once the object itself is well-formed: the name must be a built-in or a module path,
  // and a built-in gets only its declared options (strategyOptions.ts). jsonSchema.ts mirrors
  // this with if/then/else.
  .superRefine((strategy, ctx) => checkStrategy(strategy, reporterFor(ctx)), { when: (payload) => payload.issues.length === 0 });

export const limitsSchema = z.strictObject({
  maxEvents: intIn(1, LIMITS.maxEventsMax).default(200_000)
    .describe('Event budget: a run that has not gone quiet after this many events is reported as not quiescing.'),
  maxTimeMs: intIn(1, LIMITS.maxTimeMsMax).default(600_000)
    .describe('Virtual-time budget of one run.'),
});

export const expectSchema = z.strictObject({
  violations: z.union([
    z.enum(['none', 'any']),
    z.array(z.enum(INVARIANT_NAMES)).min(1).max(LIMITS.invariantNamesMax),
  ]).describe('"none": every invariant must hold; "any": at least one must break; a list: every named invariant must break.'),
  goodputPerMilleMin: intIn(0, 1000).optional()
    .describe('The run\'s goodput (orders placed / orders the stock allowed), in thousandths, must be at least this.'),
  goodputPerMilleMax: intIn(0, 1000).optional()
    .describe('... and at most this: below 1000 says the strategy loses orders it could have placed (e.g. no retry on SQLSTATE 40001).'),
});

/** `oversold explore`'s fault bounds for this scenario (its --max-* flags override each). */
export const exploreSchema = z.strictObject({
  maxDrops: intIn(0, 5).default(0).describe('oversold explore: at most this many lost requests per execution, placed on every request they could strike.'),
  maxLostReplies: intIn(0, 5).default(0).describe('oversold explore: at most this many lost replies per execution.'),
  maxDuplicates: intIn(0, 5).default(0).describe('oversold explore: at most this many duplicated requests per execution.'),
  maxPauses: intIn(0, 5).default(0).describe('oversold explore: at most this many process pauses per execution (on a reply\'s arrival at a node that can pause).'),
  maxDeclines: intIn(0, 5).default(0).describe('oversold explore: at most this many declined payments per execution.'),
  // No default: a scenario's resolved explore section stays as it was when it does not say.
  maxCrashes: intIn(0, 5).optional().describe('oversold explore: at most this many app-server crashes per execution, each on a message\'s arrival at an app server, its restart at any later point (default 0).'),
});
