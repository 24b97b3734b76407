import { STREAMS, type ChoiceSource, type Question, type Stream } from '../sim/choice.js';
import { SeededSource } from '../sim/sources.js';

/**
 * One list of answers per stream (network, faults, workload, payment, schedule); or, with
 * `seed`, no lists: every question is answered as a seeded run of that seed answers it (what
 * `check` runs first, as a plain sweep would, and mixes in after: explore/sweepCases.ts,
 * explore/arbitraries.ts).
 */
export type StreamLists = Readonly<Partial<Record<Stream, readonly number[]>>> & {
  readonly seed?: number;
  /**
   * With `seed`, in the windowed model: the run's schedule comes from PCT of this depth, seeded
   * by `seed` (explore/check.ts), not from the seeded `schedule` stream. The source itself is
   * unchanged (PCT never asks the stream); the runner picks the scheduler.
   */
  readonly pctDepth?: number;
};

/**
 * A list source with one list per stream: the i-th network question gets the i-th network
 * entry, the i-th arrival the i-th workload entry, and so on (0 past the end). fast-check
 * draws these. Keeping streams apart makes shrinking work: removing an order removes its
 * arrival from the workload list without shifting which network message the network list's
 * entries hit, just as seeded runs keep one generator per stream.
 */
export class StreamListSource implements ChoiceSource {
  private readonly next = new Map<Stream, number>();
  private readonly seeded: SeededSource | null;
  readonly description: string;

  constructor(
    private readonly lists: StreamLists,
    label = 'fast-check',
  ) {
    this.seeded = lists.seed === undefined ? null : new SeededSource(lists.seed);
    let n = 0;
    for (const s of STREAMS) n += lists[s]?.length ?? 0;
    const pct = lists.pctDepth === undefined ? '' : `, pct d=${lists.pctDepth}`;
    this.description = this.seeded !== null ? `${label} (seed ${lists.seed}${pct})` : `${label} (${n} choice${n === 1 ? '' : 's'})`;
  }

  answer(q: Question): number {
    if (this.seeded !== null) return this.seeded.answer(q);
    const i = this.next.get(q.stream) ?? 0;
    this.next.set(q.stream, i + 1);
    const list = this.lists[q.stream];
    const v = list !== undefined && i < list.length ? list[i] : 0;
    return v > q.max ? v % (q.max + 1) : v;
  }
}
