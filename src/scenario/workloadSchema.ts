// The workload: explicit orders, or a generator the simulator expands from its seeded
// workload stream. The resolved form keeps whichever the file gave.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { intIn, itemId, ms, nodeName } from './fields.js';

const qty = () => intIn(1, LIMITS.stockMax);

const orderLineSchema = z.strictObject({
  item: itemId().describe('Id of the item to buy; must be one of `items[].id`.'),
  qty: qty().default(1).describe('Units of that item in this line.'),
});

const orderInputSchema = z.strictObject({
  atMs: ms().default(0).describe('Virtual time at which the order reaches its app server.'),
  app: nodeName().describe('App server that places the order: "app1".."appN" (N = topology.appServers).'),
  item: itemId().optional().describe('Single-item order: the item id. Give either item (with qty) or lines.'),
  qty: qty().optional().describe('Single-item order: units to buy (default 1). Only together with item.'),
  lines: z.array(orderLineSchema).min(1).max(LIMITS.linesPerOrderMax).optional()
    .describe('Multi-item cart: one entry per item. Give either lines or item.'),
  redelivered: z.strictObject({
    atMs: ms().describe('When the second delivery reaches its app server.'),
    app: nodeName().describe('The app server it reaches.'),
  }).optional()
    .describe('At-least-once delivery: the order is delivered a second time, and placeOrder runs again for it there (its calls are by origin "o1#2"). The first answer is the customer\'s.'),
});

/** An order in resolved form: always a list of lines. */
export const orderSchema = orderInputSchema
  .superRefine((order, ctx) => {
    if (order.lines !== undefined && order.item !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lines'], message: 'item and lines together',
        params: { expected: 'either "item" or "lines", not both', found: 'both', hint: 'move the item into lines' } });
    } else if (order.lines === undefined && order.item === undefined) {
      ctx.addIssue({ code: 'custom', path: ['item'], message: 'no item',
        params: { expected: 'an "item" (with an optional "qty") or a "lines" list', found: 'neither' } });
    } else if (order.lines !== undefined && order.qty !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['qty'], message: 'qty with lines',
        params: { expected: 'qty inside each entry of lines', found: 'a top-level qty next to lines' } });
    }
  })
  .transform((order) => ({
    atMs: order.atMs,
    app: order.app,
    // The refinement above guarantees exactly one of item / lines is present.
    lines: order.lines ?? [{ item: order.item ?? '', qty: order.qty ?? 1 }],
    ...(order.redelivered === undefined ? {} : { redelivered: order.redelivered }),
  }));

export type OrderSpec = z.output<typeof orderSchema>;

export const generateSchema = z.strictObject({
  count: intIn(0, LIMITS.ordersMax).optional()
    .describe('Number of orders to generate. Default: 1.5 x the stock of the item, rounded up, so the sale is oversubscribed.'),
  windowMs: ms().default(0)
    .describe('Orders arrive at times drawn from the seeded workload stream in [0, windowMs]; 0 means all at once.'),
  item: itemId().optional().describe('Item every generated order buys. Default: the first entry of items.'),
  qty: qty().default(1).describe('Units per generated order.'),
  apps: z.array(nodeName()).min(1).max(LIMITS.appServersMax).optional()
    .describe('App servers that receive the orders, round-robin in this order. Default: every app server.'),
});

// Not a z.union: zod 4 resolves a failed union by its own heuristic (the one branch without
// aborting issues), which reports `{"orders": [10001 orders]}` as "unknown key orders". One
// object with both keys optional gives exact messages; jsonSchema.ts adds `maxProperties: 1`.
const workloadObjectSchema = z.strictObject({
  orders: z.array(orderSchema).max(LIMITS.ordersMax).optional()
    .describe('Explicit orders; the simulator names them o1, o2, ... in this order.'),
  generate: generateSchema.optional()
    .describe('Generate orders instead of listing them. Give either orders or generate.'),
  leaveOut: z.array(z.string().regex(/^o[1-9][0-9]*$/)).max(LIMITS.ordersMax).optional()
    .describe('Orders left out, by id ("o3"): still numbered (and, generated, still drawn) as if present, never placed. Shrinking writes it, so that the orders a violation does not need go away while every other order keeps its id.'),
});

const GENERATE_DEFAULTS = generateSchema.parse({});

/** The workload as a file gives it (jsonSchema.ts marks this node `maxProperties: 1`). */
export const workloadInputSchema = workloadObjectSchema.superRefine((workload, ctx) => {
  if (workload.orders !== undefined && workload.generate !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['generate'], message: 'orders and generate together',
      params: { expected: 'either "orders" or "generate", not both', found: 'both', hint: 'remove one of them' } });
  }
});

type LeaveOut = { leaveOut?: string[] };
export const workloadSchema = workloadInputSchema.transform((workload): ({ orders: OrderSpec[] } | { generate: z.output<typeof generateSchema> }) & LeaveOut => {
  const leave: LeaveOut = workload.leaveOut !== undefined && workload.leaveOut.length > 0 ? { leaveOut: workload.leaveOut } : {};
  return workload.orders !== undefined ? { orders: workload.orders, ...leave } : { generate: workload.generate ?? GENERATE_DEFAULTS, ...leave };
});
