import { DataSource } from 'typeorm';
import { SignalEntity } from '../../src/signal-engine/entities/signal.entity';
import { toSignalEntity } from '../../src/signal-engine/signal.mapper';
import { closedSignal, domainSignal, TEST_STAMP } from '../../src/signal-engine/signal-engine.testing';

/**
 * Stores a signal closed at `closedAt` (long before any test tick, so `purge-history` deletes it) and
 * returns its id and a check of whether it is still stored: a job whose effect a test can observe.
 */
export async function storeOldClosedSignal(
  db: DataSource,
  symbol: string,
  closedAt = Date.UTC(2024, 7, 5, 2),
): Promise<() => Promise<boolean>> {
  const signal = closedSignal(domainSignal({ symbol }), 'TP_HIT', 105, closedAt);
  await db.getRepository(SignalEntity).save(toSignalEntity(signal, TEST_STAMP));
  return async () => await db.getRepository(SignalEntity).existsBy({ id: signal.id });
}
