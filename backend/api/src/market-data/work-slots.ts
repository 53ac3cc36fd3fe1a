/**
 * At most `size` tasks at once, urgent ones first: a candle that just closed is evaluated before a
 * series catching up from REST takes a slot. Keeps stream work within the database pool.
 */
export class WorkSlots {
  private running = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots must be a whole number ≥ 1, got ${size}`);
  }

  async run<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) {
      await new Promise<void>((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.urgent.shift() ?? this.normal.shift();
      // The slot passes straight to the next task; only when none waits is it freed.
      if (next !== undefined) next();
      else this.running--;
    }
  }

  get busy(): number {
    return this.running;
  }

  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }
}
