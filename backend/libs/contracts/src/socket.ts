import type { MarketMatrixSnapshot, MarketMatrixTick } from './market-matrix';
import type { ReplayProgress } from './research';
import type { Signal } from './signal';

export const SIGNALS_NAMESPACE = '/signals';

/** Socket.IO event names, server → client and client → server. */
export const SocketEvents = {
  snapshot: 'signals.snapshot',
  created: 'signal.created',
  updated: 'signal.updated',
  deleted: 'signal.deleted',
  scannerStatus: 'scanner.status',
  resync: 'resync',
  /** Market matrix: the client subscribes (answered with a snapshot) and then receives ticks. */
  marketSubscribe: 'market.subscribe',
  marketUnsubscribe: 'market.unsubscribe',
  marketSnapshot: 'market.snapshot',
  marketTick: 'market.tick',
  /** A/B replay progress (issue 18), to every socket while a replay is queued or running. */
  replayProgress: 'replay.progress',
} as const;

export interface SignalChangePayload {
  seq: number;
  signal: Signal;
}

export interface SignalsSnapshotPayload {
  /** The last event seq reflected in `signals`; apply only events with a greater seq. */
  seq: number;
  signals: Signal[];
}

export type ScannerState = 'idle' | 'scanning' | 'paused' | 'error';

/**
 * Where closed candles come from right now. `streaming`: every kline stream is up; `degraded`: some are
 * down or silent (REST fills what they miss); `polling`: REST scans every tick (MARKET_DATA_SOURCE=poll,
 * or the streams are down); `down`: streams configured but none is held and nothing polls.
 */
export type MarketDataState = 'streaming' | 'degraded' | 'polling';

export interface MarketDataStatus {
  source: 'stream' | 'poll';
  state: MarketDataState;
  /** Open WebSocket connections and subscribed streams (0 when polling). */
  connections: number;
  streams: number;
  /** How long after its final kline arrived the newest streamed candle was through the engine (ms). */
  lastEvaluationLagMs: number | null;
  /** ISO close time (market time) of the newest candle evaluated from the streams. */
  lastStreamedCloseAt: string | null;
  /** ISO server time when that candle was through the engine (compare with `serverTime`). */
  lastEvaluatedAt: string | null;
  /** What is going on, e.g. "stream down, polling: closed by the exchange (1006)". */
  detail: string;
}

export interface ScannerStatusPayload {
  state: ScannerState;
  /** ISO time of the last successful scan's end, null before the first one. */
  lastScanAt: string | null;
  lastScanDurationMs: number | null;
  symbols: number;
  activeSignals: number;
  paused: boolean;
  /** True while Binance asked us to back off (429/418); `pauseUntil` says until when. */
  exchangeBackoff: boolean;
  pauseUntil: string | null;
  serverTime: string;
  marketData: MarketDataStatus;
}

export interface ResyncRequest {
  lastSeq: number;
}

export interface ServerToClientEvents {
  'signals.snapshot': (payload: SignalsSnapshotPayload) => void;
  'signal.created': (payload: SignalChangePayload) => void;
  'signal.updated': (payload: SignalChangePayload) => void;
  'signal.deleted': (payload: SignalChangePayload) => void;
  'scanner.status': (payload: ScannerStatusPayload) => void;
  /** Answer to `market.subscribe` (and sent again when the server cannot send a tick in order). */
  'market.snapshot': (payload: MarketMatrixSnapshot) => void;
  /** Changed matrix cells after evaluations, to subscribed sockets only. */
  'market.tick': (payload: MarketMatrixTick) => void;
  'replay.progress': (payload: ReplayProgress) => void;
}

export interface ClientToServerEvents {
  resync: (request: ResyncRequest) => void;
  'market.subscribe': () => void;
  'market.unsubscribe': () => void;
}
