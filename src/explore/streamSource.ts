import { STREAMS, type ChoiceSource, type Question, type Stream } from '../sim/choice.js';

/** One list of answers per stream (network, faults, workload, payment, schedule). */
export type StreamLists = Readonly<Partial<Record<Stream, readonly number[]>>>;

/**
 * A list source with one list per stream: the i-th network question gets the i-th network
 * entry, the i-th arrival the i-th workload entry, and so on (0 past the end). fast-check
 * draws these. Keeping streams apart makes shrinking work: removing an order removes its
 * arrival from the workload list without shifting which network message the network list's
 * entries hit, just as seeded runs keep one generator per stream.
 */
export class StreamListSource implements ChoiceSource {
  private readonly next = new Map<Stream, number>();
  readonly description: string;

  constructor(
    private readonly lists: StreamLists,
    label = 'fast-check',
  ) {
    let n = 0;
    for (const s of STREAMS) n += lists[s]?.length ?? 0;
    this.description = `${label} (${n} choice${n === 1 ? '' : 's'})`;
  }

  answer(q: Question): number {
    const i = this.next.get(q.stream) ?? 0;
    this.next.set(q.stream, i + 1);
    const list = this.lists[q.stream];
    const v = list !== undefined && i < list.length ? list[i] : 0;
    return v > q.max ? v % (q.max + 1) : v;
  }
}
