import type { SimNode } from '../sim/node.js';
import type { HasSubject, TickSubject } from '../sim/subjects.js';

/**
 * A node's own periodic timer (the primary's tick, the lock service's): armed only while the
 * node has something to tick for (`busy`), so an idle run goes quiet. Each tick is a 'tick'
 * event about this ticker and its count.
 */
export class Ticker implements HasSubject {
  private pending = false;
  private ticks = 0;

  constructor(
    private readonly node: SimNode,
    private readonly periodMs: number,
    private readonly busy: () => boolean,
    private readonly onTick: () => void,
  ) {}

  /** A world reset: no tick armed, none fired (an armed one was in the last run's queue). */
  reset(): void {
    this.pending = false;
    this.ticks = 0;
  }

  subject(): TickSubject {
    return { type: 'tick', node: this.node.name, tick: this.ticks + 1 };
  }

  /** Arms the next tick unless one is armed or there is nothing to tick for. */
  arm(): void {
    if (this.pending || !this.busy()) return;
    this.pending = true;
    this.node.timer('tick', this.periodMs, fireTick, this);
  }

  /** After a restart: the armed timer belonged to the old incarnation (discarded), so arm anew. */
  rearm(): void {
    this.pending = false;
    this.arm();
  }

  fire(): void {
    this.pending = false;
    this.ticks++;
    this.onTick();
    this.arm();
  }
}

function fireTick(t: Ticker): void {
  t.fire();
}
