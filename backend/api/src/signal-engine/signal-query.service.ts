import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  OutcomeStats,
  Page,
  Signal,
  SignalDetail,
  SignalDirection,
  SignalListQuery,
  ScoringVersionScope,
  SignalStats,
  SignalsSnapshotPayload,
  StatsByScoringVersion,
} from '@scanner/contracts';
import { SIGNAL_DIRECTIONS } from '@scanner/contracts';
import { computeSignalStats } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import {
  filterSql,
  loadClosedSignals,
  type ClosedSignalFilter,
  type ClosedSignalRow,
} from './closed-signals';
import { toOutcomeStats } from './quality.dto-mapper';
import { QualityFiguresCache } from './quality-figures-cache';
import { decodeCursor, encodeCursor } from './signal-cursor';
import { cursorAfter, DEFAULT_SIGNAL_SORT, planSignalList } from './signal-list.query-plan';
import { toWireSignal } from './signal.mapper';

export const DEFAULT_LIST_LIMIT = 50;

/** Filter of `GET /api/signals/stats` (origin `all` by default). */
export type SignalStatsFilter = ClosedSignalFilter;

/** An ACTIVE signal's levels: what a price must touch to close it. */
export type ActiveLevels = Pick<Signal, 'symbol' | 'timeframe' | 'direction' | 'stopLoss' | 'takeProfit'>;

/** Read side of the signal store. */
@Injectable()
export class SignalQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly figures: QualityFiguresCache,
  ) {}

  /** Active signals and the last event seq they reflect, read in one transaction so both agree. */
  async activeSnapshot(): Promise<SignalsSnapshotPayload> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const row = await manager
        .getRepository(SignalEventEntity)
        .createQueryBuilder('event')
        .select('COALESCE(MAX(event.seq), 0)', 'seq')
        .getRawOne<{ seq: string | number }>();
      const signals = await manager.getRepository(SignalEntity).find({
        where: { status: 'ACTIVE' },
        order: { confidence: 'DESC', id: 'ASC' },
      });
      return { seq: Number(row?.seq ?? 0), signals: signals.map(toWireSignal) };
    });
  }

  async countActive(): Promise<number> {
    return this.dataSource.getRepository(SignalEntity).countBy({ status: 'ACTIVE' });
  }

  /**
   * The stop and target of every ACTIVE signal per series, and nothing else (what the stream engine
   * watches on every tick): a few columns through the one-active-per-series index, no event seq.
   */
  async activeLevels(): Promise<ActiveLevels[]> {
    return this.dataSource.getRepository(SignalEntity).find({
      select: { symbol: true, timeframe: true, direction: true, stopLoss: true, takeProfit: true },
      where: { status: 'ACTIVE' },
    });
  }

  /** Signals per status × direction (the metrics gauge). */
  async countByStatusAndDirection(): Promise<Array<{ status: string; direction: string; count: number }>> {
    const rows: Array<{ status: string; direction: string; count: string }> = await this.dataSource.query(
      `SELECT status, direction, count(*) AS count FROM signals GROUP BY status, direction`,
    );
    return rows.map((row) => ({ status: row.status, direction: row.direction, count: Number(row.count) }));
  }

  /** One page of `GET /api/signals`; throws InvalidCursorError for a cursor of another sort or a forged one. */
  async list(query: SignalListQuery): Promise<Page<Signal>> {
    const sort = query.sort ?? DEFAULT_SIGNAL_SORT;
    const limit = query.limit ?? DEFAULT_LIST_LIMIT;
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, sort);
    const plan = planSignalList(query, cursor);
    const qb = this.dataSource.getRepository(SignalEntity).createQueryBuilder('s');
    for (const clause of plan.where) qb.andWhere(clause);
    qb.setParameters(plan.params);
    plan.orderBy.forEach(([column, direction], i) =>
      i === 0 ? qb.orderBy(column, direction) : qb.addOrderBy(column, direction),
    );
    const rows = await qb.limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(cursorAfter(page[page.length - 1], sort)) : null;
    return { items: page.map(toWireSignal), nextCursor };
  }

  /** The signal with its whole event history, or null when unknown. */
  async detail(id: string): Promise<SignalDetail | null> {
    const entity = await this.dataSource.getRepository(SignalEntity).findOneBy({ id });
    if (entity === null) return null;
    const events = await this.dataSource
      .getRepository(SignalEventEntity)
      .find({ where: { signalId: id }, order: { seq: 'ASC' } });
    return {
      signal: toWireSignal(entity),
      events: events.map((e) => ({
        seq: e.seq,
        type: e.type,
        recordedAt: e.recordedAt.toISOString(),
        signal: e.payload,
      })),
      maxFavorableR: entity.maxFavorableR,
      maxAdverseR: entity.maxAdverseR,
    };
  }

  /**
   * `GET /api/signals/stats`: signal-core's computeSignalStats (the one implementation of the outcome
   * figures) over the closed signals of the filter, overall, by timeframe and by direction. Cached per
   * filter until a signal is created or closed (QualityFiguresCache).
   */
  stats(filter: SignalStatsFilter): Promise<SignalStats & ScoringVersionScope & StatsByScoringVersion> {
    return this.figures.get('stats', filter, () => this.computeStats(filter));
  }

  private async computeStats(
    filter: SignalStatsFilter,
  ): Promise<SignalStats & ScoringVersionScope & StatsByScoringVersion> {
    const closed = await loadClosedSignals(this.dataSource.manager, filter);
    const { sql, params } = filterSql(filter);
    const [{ active }]: { active: string }[] = await this.dataSource.query(
      `SELECT count(*) AS active FROM signals WHERE status = 'ACTIVE'${sql}`,
      params,
    );
    const of = (rows: readonly ClosedSignalRow[]) => toOutcomeStats(computeSignalStats(rows));
    const byTimeframe: Record<string, OutcomeStats> = {};
    for (const timeframe of [...new Set(closed.map((r) => r.timeframe))].sort())
      byTimeframe[timeframe] = of(closed.filter((r) => r.timeframe === timeframe));
    const byDirection = Object.fromEntries(
      SIGNAL_DIRECTIONS.map((d) => [d, of(closed.filter((r) => r.direction === d))]),
    ) as Record<SignalDirection, OutcomeStats>;
    const byScoringVersion: Record<string, OutcomeStats> = {};
    for (const version of [...new Set(closed.map((r) => r.scoringVersion))].sort((a, b) => a - b))
      byScoringVersion[version] = of(closed.filter((r) => r.scoringVersion === version));
    return {
      since: filter.since?.toISOString() ?? null,
      origin: filter.origin ?? 'all',
      active: Number(active),
      overall: of(closed),
      byTimeframe,
      byDirection,
      scoringVersion: filter.scoringVersion ?? null,
      byScoringVersion,
    };
  }
}
