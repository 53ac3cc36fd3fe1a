import type { LazyConditions } from './lazy-conditions';
import type { PriceExit } from './price-exit';
import type { SignalChanges } from './signal-builder';
import type { Signal } from './signal.types';

/**
 * The engine's working state of its one active signal: the signal as last emitted and the extreme
 * prices seen since entry. (A class, not loose functions: the per-candle calls stay plain method
 * calls, which the engine's hot path needs.)
 */
export class ActiveSignal {
  constructor(
    /** Latest state as last emitted (its excursions as of then; best/worst are current). */
    public signal: Signal,
    /** The breakdown `signal.conditions` reads, kept apart so copying a signal never formats it. */
    public conditions: LazyConditions,
    /** Most favourable and most adverse prices seen since entry. */
    public best: number,
    public worst: number,
  ) {}

  /** Widens the most favourable / adverse prices by a range that was lived through. */
  track(high: number, low: number): void {
    if (this.signal.direction === 'LONG') {
      if (high > this.best) this.best = high;
      if (low < this.worst) this.worst = low;
    } else {
      if (low < this.best) this.best = low;
      if (high > this.worst) this.worst = high;
    }
  }

  /**
   * The exit candle's range counts only as far as it was lived through: an SL exit ignores that
   * candle's favourable extreme and caps the adverse one at the exit; a TP exit caps the
   * favourable one at the exit, and one at the open (a jump through the target) leaves no time for
   * an adverse move. `high` / `low` are what was lived through before the decision.
   */
  trackExit(exit: PriceExit, open: number, high: number, low: number): void {
    const long = this.signal.direction === 'LONG';
    const price = exit.price;
    if (exit.status === 'SL_HIT') {
      if (long) this.track(open, price);
      else this.track(price, open);
    } else {
      const jumped = price === open;
      if (long) this.track(price, jumped ? open : low);
      else this.track(jumped ? open : high, price);
    }
  }

  /** Sets the excursions so far (from the best and worst prices seen) on `changes`. */
  withExcursions(changes: SignalChanges): SignalChanges {
    const signal = this.signal;
    const long = signal.direction === 'LONG';
    const risk = Math.abs(signal.entryPrice - signal.initialStopLoss);
    const mfe = Math.max(0, long ? this.best - signal.entryPrice : signal.entryPrice - this.best);
    const mae = Math.max(0, long ? signal.entryPrice - this.worst : this.worst - signal.entryPrice);
    changes.mfe = mfe;
    changes.mae = mae;
    changes.mfeR = mfe / risk;
    changes.maeR = mae / risk;
    return changes;
  }
}
