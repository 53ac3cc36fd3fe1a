import { STATUS_STALE_MS, StreamCoordinator, type StreamStatus } from './stream-coordinator';

/** The single-process deployment (no Redis): this process always holds the streams. */
export class MemoryStreamCoordinator extends StreamCoordinator {
  readonly kind = 'memory' as const;
  private holder: string | null = null;
  private latest: StreamStatus | null = null;

  async acquire(holder: string): Promise<boolean> {
    if (this.holder !== null && this.holder !== holder) return false;
    this.holder = holder;
    return true;
  }

  async release(holder: string): Promise<void> {
    if (this.holder === holder) this.holder = null;
  }

  async publish(status: StreamStatus): Promise<void> {
    this.latest = status;
  }

  async status(now: number): Promise<StreamStatus | null> {
    return this.latest !== null && now - this.latest.reportedAt <= STATUS_STALE_MS ? this.latest : null;
  }
}
