import type {
  ScannerStatusPayload,
  SignalChangePayload,
  SignalEventType,
  SignalsSnapshotPayload,
} from '@scanner/contracts';

/** What the socket edge hands to the stores, in arrival order. */
export type FeedMessage =
  | { kind: 'connected'; reconnect: boolean }
  | { kind: 'snapshot'; payload: SignalsSnapshotPayload }
  | { kind: 'change'; type: SignalEventType; payload: SignalChangePayload }
  | { kind: 'status'; payload: ScannerStatusPayload };
