export interface VirtualClockOptions {
  /** Virtual epoch ms (or an ISO string) at start. */
  startTime?: number | string;
  /** Virtual ms per real ms: 1 = real time, 60 = one virtual minute per real second. Default 1. */
  speed?: number;
  /** Start paused: virtual time moves only through set()/advance(). Default false. */
  paused?: boolean;
}

export type RealClock = () => number;

/**
 * The replay's notion of "now". Runs at `speed` × real time from `startTime`, or stands still while
 * paused, so tests can move it by hand with set()/advance().
 */
export class VirtualClock {
  private baseVirtual: number;
  private baseReal: number;
  private speedFactor: number;
  private pausedFlag: boolean;

  constructor(
    options: VirtualClockOptions & { startTime: number | string },
    private readonly realNow: RealClock = Date.now,
  ) {
    this.baseVirtual = toEpochMs(options.startTime);
    this.baseReal = realNow();
    this.speedFactor = options.speed ?? 1;
    if (!(this.speedFactor >= 0) || !Number.isFinite(this.speedFactor)) {
      throw new Error(`clock speed must be a finite number >= 0, got ${String(options.speed)}`);
    }
    this.pausedFlag = options.paused ?? false;
  }

  now(): number {
    if (this.pausedFlag) return this.baseVirtual;
    return Math.floor(this.baseVirtual + (this.realNow() - this.baseReal) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  set(time: number | string): void {
    this.rebase(toEpochMs(time));
  }

  advance(ms: number): void {
    this.rebase(this.now() + ms);
  }

  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed))
      throw new Error(`clock speed must be a finite number >= 0, got ${speed}`);
    this.rebase(this.now());
    this.speedFactor = speed;
  }

  pause(): void {
    this.rebase(this.now());
    this.pausedFlag = true;
  }

  resume(): void {
    this.rebase(this.now());
    this.pausedFlag = false;
  }

  private rebase(virtual: number): void {
    this.baseVirtual = virtual;
    this.baseReal = this.realNow();
  }
}

export function toEpochMs(time: number | string): number {
  const ms = typeof time === 'number' ? time : /^-?\d+$/.test(time) ? Number(time) : Date.parse(time);
  if (!Number.isFinite(ms))
    throw new Error(`not a time: ${String(time)} (use epoch ms or an ISO-8601 string)`);
  return ms;
}
