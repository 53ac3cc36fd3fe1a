import { ChargeResult, RejectionStatus, WeightBudgetStore } from './weight-budget-store';

/** The budget of a single process (no Redis): same rules as the Redis store. */
export class MemoryWeightBudgetStore implements WeightBudgetStore {
  readonly kind = 'memory' as const;
  private readonly minutes = new Map<number, number>();
  private pauseUntil = 0;
  private readonly rejected: Record<RejectionStatus, number> = { 429: 0, 418: 0 };

  async charge(minute: number, weight: number, limit: number, now: number): Promise<ChargeResult> {
    if (this.pauseUntil > now)
      return { charged: false, used: this.minutes.get(minute) ?? 0, pausedUntil: this.pauseUntil };
    this.forgetBefore(minute);
    const used = this.minutes.get(minute) ?? 0;
    if (used + weight > limit && used > 0) return { charged: false, used, pausedUntil: null };
    this.minutes.set(minute, used + weight);
    return { charged: true, used: used + weight, pausedUntil: null };
  }

  async raiseUsed(minute: number, used: number): Promise<number> {
    const current = Math.max(this.minutes.get(minute) ?? 0, used);
    this.minutes.set(minute, current);
    return current;
  }

  async used(minute: number): Promise<number> {
    return this.minutes.get(minute) ?? 0;
  }

  async pause(until: number, status: RejectionStatus): Promise<number> {
    this.pauseUntil = Math.max(this.pauseUntil, until);
    this.rejected[status]++;
    return this.pauseUntil;
  }

  async pausedUntil(now: number): Promise<number | null> {
    return this.pauseUntil > now ? this.pauseUntil : null;
  }

  async rejections(): Promise<Record<RejectionStatus, number>> {
    return { ...this.rejected };
  }

  private forgetBefore(minute: number): void {
    for (const key of this.minutes.keys()) if (key < minute - 60_000) this.minutes.delete(key);
  }
}
