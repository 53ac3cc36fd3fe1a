import { InitialSchema1732600000000 } from './1732600000000-initial-schema';
import { ScanRunBatches1732700000000 } from './1732700000000-scan-run-batches';
import { SignalEventsNotify1732800000000 } from './1732800000000-signal-events-notify';
import { DropHealthSnapshots1732900000000 } from './1732900000000-drop-health-snapshots';
import { SeriesStatus1732960000000 } from './1732960000000-series-status';
import { MarketEdges1733050000000 } from './1733050000000-market-edges';
import { SignalQuality1733100000000 } from './1733100000000-signal-quality';
import { ReconcileRuns1733110000000 } from './1733110000000-reconcile-runs';
import { AlertRules1733120000000 } from './1733120000000-alert-rules';
import { SignalConfluence1733130000000 } from './1733130000000-signal-confluence';
import { FineCandles1733140000000 } from './1733140000000-fine-candles';
import { ScoringVersions1733150000000 } from './1733150000000-scoring-versions';
import { Replays1733160000000 } from './1733160000000-replays';
import { ReplayShards1733170000000 } from './1733170000000-replay-shards';
import { EngineStatesNotify1733175000000 } from './1733175000000-engine-states-notify';
import { StreamWriteCosts1733180000000 } from './1733180000000-stream-write-costs';
import { EngineStatesHotUpdates1733190000000 } from './1733190000000-engine-states-hot-updates';

/** Every migration, in order. Run at boot; later issues append here. */
export const MIGRATIONS = [
  InitialSchema1732600000000,
  ScanRunBatches1732700000000,
  SignalEventsNotify1732800000000,
  DropHealthSnapshots1732900000000,
  SeriesStatus1732960000000,
  MarketEdges1733050000000,
  SignalQuality1733100000000,
  ReconcileRuns1733110000000,
  AlertRules1733120000000,
  SignalConfluence1733130000000,
  FineCandles1733140000000,
  ScoringVersions1733150000000,
  Replays1733160000000,
  ReplayShards1733170000000,
  EngineStatesNotify1733175000000,
  StreamWriteCosts1733180000000,
  EngineStatesHotUpdates1733190000000,
];
