/**
 * At most `size` tasks at once, of which at most `normalSize` are not urgent; urgent ones first: a
 * candle that just closed is evaluated before a series catching up from REST takes a slot, and the
 * catch-up (REST, long replays) stays within a few slots while the closes of one instant run wide (their
 * engine states are written together, see SignalStore).
 */
export class WorkSlots {
  private running = 0;
  private runningNormal = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(
    readonly size: number,
    readonly normalSize: number = size,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots must be a whole number ≥ 1, got ${size}`);
    if (!Number.isInteger(normalSize) || normalSize < 1 || normalSize > size)
      throw new Error(`normal slots must be a whole number from 1 to ${size}, got ${normalSize}`);
  }

  async run<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
    // Anyone waiting means no slot of this kind is free: a newcomer never overtakes them.
    if (this.canStart(urgent)) this.start(urgent);
    else await new Promise<void>((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
    try {
      return await task();
    } finally {
      this.running--;
      if (!urgent) this.runningNormal--;
      this.dispatch();
    }
  }

  get busy(): number {
    return this.running;
  }

  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }

  private canStart(urgent: boolean): boolean {
    return this.running < this.size && (urgent || this.runningNormal < this.normalSize);
  }

  private start(urgent: boolean): void {
    this.running++;
    if (!urgent) this.runningNormal++;
  }

  /** Hands the free slots to the waiting tasks, urgent ones first. */
  private dispatch(): void {
    for (;;) {
      if (this.urgent.length > 0 && this.canStart(true)) {
        this.start(true);
        (this.urgent.shift() as () => void)();
      } else if (this.normal.length > 0 && this.canStart(false)) {
        this.start(false);
        (this.normal.shift() as () => void)();
      } else return;
    }
  }
}
