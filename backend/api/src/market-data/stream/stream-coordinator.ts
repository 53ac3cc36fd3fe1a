import type { StreamClientState } from './kline-stream-client';

/** What the process holding the streams tells every other process (readiness, scans, dashboard). */
export interface StreamStatus {
  state: StreamClientState;
  /** Which process holds the streams (`host:pid:random`). */
  holder: string;
  connections: number;
  streams: number;
  stalled: number;
  /** Exchange close time of the newest final kline handed to the engine, and when (host ms). */
  lastFinalCloseTime: number | null;
  /** From a final kline's arrival to its engine step done, for the newest one (ms). */
  lastEvaluationLagMs: number | null;
  /** Host ms when the newest streamed candle was through the engine. */
  lastEvaluatedAt: number | null;
  detail: string;
  /** Host ms of this report; a report older than STATUS_STALE_MS means the holder is gone. */
  reportedAt: number;
}

/** A report older than this is from a holder that died: nobody streams. */
export const STATUS_STALE_MS = 30_000;

/**
 * One process of a deployment holds the WebSocket streams: a lease another process takes over once the
 * holder stops renewing it (Redis), or the single process (no Redis). The holder publishes its status
 * here for every role to read.
 */
export abstract class StreamCoordinator {
  abstract readonly kind: 'redis' | 'memory';
  /** True when `holder` has the lease now (taken or renewed for `ttlMs`). */
  abstract acquire(holder: string, ttlMs: number): Promise<boolean>;
  abstract release(holder: string): Promise<void>;
  abstract publish(status: StreamStatus): Promise<void>;
  /** The latest report, or null when there is none or it is stale. */
  abstract status(now: number): Promise<StreamStatus | null>;
}
