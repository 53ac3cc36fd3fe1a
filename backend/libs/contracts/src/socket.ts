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
}

export interface ClientToServerEvents {
  resync: (request: ResyncRequest) => void;
}
