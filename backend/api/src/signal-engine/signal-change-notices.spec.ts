import type { SignalEngineSnapshot } from '@scanner/signal-core';
import type { DataSource } from 'typeorm';
import { SignalChangeNotices, type SignalChangeKind } from './signal-change-notices';
import { closedSignal, domainSignal } from './signal-engine.testing';
import { SignalRetentionService } from './signal-retention.service';
import { SignalStore } from './signal-store.service';

/** A database that accepts an engine step's statements (state saved, rows upserted, events numbered). */
function acceptingDatabase() {
  let seq = 0;
  let committed = 0;
  const manager = {
    query: async (sql: string, params: unknown[] = []) => {
      if (sql.includes('INSERT INTO signal_events'))
        return Array.from({ length: (params.length - 1) / 4 }, () => ({ seq: String(++seq) }));
      return [{ symbol: 'BTCUSDT' }];
    },
  };
  const idColumn = {
    databaseName: 'id',
    isPrimary: true,
    type: 'varchar',
    getEntityValue: (e: { id: string }) => e.id,
  };
  const dataSource = {
    manager,
    getMetadata: () => ({ columns: [idColumn] }),
    transaction: async <T>(work: (m: typeof manager) => Promise<T>) => {
      const result = await work(manager);
      committed++;
      return result;
    },
  };
  return { dataSource: dataSource as unknown as DataSource, committed: () => committed };
}

const snapshot = { lastOpenTime: Date.UTC(2024, 7, 5) } as unknown as SignalEngineSnapshot;

function listen(notices: SignalChangeNotices) {
  const heard: Array<{ kinds: SignalChangeKind[]; afterCommits: number }> = [];
  return {
    heard,
    on: (committed: () => number) =>
      notices.subscribe((kinds) => heard.push({ kinds: [...kinds].sort(), afterCommits: committed() })),
  };
}

describe('SignalChangeNotices', () => {
  it("SignalStore tells a step's event types once its transaction committed; a step without changes tells nothing", async () => {
    const db = acceptingDatabase();
    const notices = new SignalChangeNotices();
    const { heard, on } = listen(notices);
    on(db.committed);
    const store = new SignalStore(db.dataSource, notices);
    const signal = domainSignal();
    const step = { symbol: 'BTCUSDT', timeframe: '5m', expectedRevision: 0, snapshot };

    await store.commit({ ...step, events: [] });
    expect(heard).toEqual([]);

    await store.commit({ ...step, events: [{ type: 'created', signal }] });
    await store.commit({
      ...step,
      expectedRevision: 1,
      events: [
        { type: 'updated', signal: { ...signal, confidence: 80, version: 2 } },
        {
          type: 'closed',
          signal: closedSignal({ ...signal, version: 2 }, 'TP_HIT', 105, signal.createdAt + 1),
        },
      ],
    });
    expect(heard).toEqual([
      { kinds: ['created'], afterCommits: 1 },
      { kinds: ['deleted', 'updated'], afterCommits: 2 },
    ]);
  });

  it('the retention purge tells `purged` when it deleted closes, nothing when none were old enough', async () => {
    let affected = 0;
    const builder = {
      delete: () => builder,
      from: () => builder,
      where: () => builder,
      execute: async () => ({ affected }),
    };
    const notices = new SignalChangeNotices();
    const heard: SignalChangeKind[][] = [];
    notices.subscribe((kinds) => heard.push([...kinds]));
    const retention = new SignalRetentionService(
      { createQueryBuilder: () => builder } as unknown as DataSource,
      notices,
    );
    await retention.purgeClosedOlderThan(30, new Date(Date.UTC(2026, 0, 1)));
    expect(heard).toEqual([]);
    affected = 3;
    await retention.purgeClosedOlderThan(30, new Date(Date.UTC(2026, 0, 1)));
    expect(heard).toEqual([['purged']]);
  });

  it("a listener's failure reaches neither the other listeners nor the commit that told them", () => {
    const notices = new SignalChangeNotices();
    const heard: string[] = [];
    notices.subscribe(() => {
      throw new Error('boom');
    });
    const unsubscribe = notices.subscribe(() => heard.push('second'));
    expect(() => notices.changed(['deleted'])).not.toThrow();
    expect(heard).toEqual(['second']);
    unsubscribe();
    notices.changed(['deleted']);
    expect(heard).toEqual(['second']);
  });
});
