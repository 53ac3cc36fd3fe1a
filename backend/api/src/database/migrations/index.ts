import { InitialSchema1732600000000 } from './1732600000000-initial-schema';
import { ScanRunBatches1732700000000 } from './1732700000000-scan-run-batches';
import { SignalEventsNotify1732800000000 } from './1732800000000-signal-events-notify';

/** Every migration, in order. Run at boot; later issues append here. */
export const MIGRATIONS = [InitialSchema1732600000000, ScanRunBatches1732700000000, SignalEventsNotify1732800000000];
