import { InitialSchema1732600000000 } from './1732600000000-initial-schema';
import { ScanRunBatches1732700000000 } from './1732700000000-scan-run-batches';
import { SignalEventsNotify1732800000000 } from './1732800000000-signal-events-notify';
import { DropHealthSnapshots1732900000000 } from './1732900000000-drop-health-snapshots';
import { SeriesStatus1732960000000 } from './1732960000000-series-status';
import { MarketEdges1733050000000 } from './1733050000000-market-edges';

/** Every migration, in order. Run at boot; later issues append here. */
export const MIGRATIONS = [
  InitialSchema1732600000000,
  ScanRunBatches1732700000000,
  SignalEventsNotify1732800000000,
  DropHealthSnapshots1732900000000,
  SeriesStatus1732960000000,
  MarketEdges1733050000000,
];
