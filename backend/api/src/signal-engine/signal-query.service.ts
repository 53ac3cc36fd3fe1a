import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ClosedSignalStatus,
  OutcomeStats,
  Page,
  Signal,
  SignalDetail,
  SignalDirection,
  SignalListQuery,
  SignalStats,
  SignalsSnapshotPayload,
} from '@scanner/contracts';
import { SIGNAL_DIRECTIONS } from '@scanner/contracts';
import { DataSource } from 'typeorm';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { aggregateOutcomeStats, type OutcomeGroup } from './outcome-stats.aggregate';
import { decodeCursor, encodeCursor } from './signal-cursor';
import { cursorAfter, DEFAULT_SIGNAL_SORT, planSignalList } from './signal-list.query-plan';
import { toWireSignal } from './signal.mapper';

export const DEFAULT_LIST_LIMIT = 50;

export interface SignalStatsFilter {
  timeframe?: string;
  direction?: SignalDirection;
  /** Only signals closed at or after this time. */
  since?: Date;
}

interface GroupRow {
  timeframe: string;
  direction: SignalDirection;
  status: ClosedSignalStatus;
  count: string;
  sum_r: number;
  gain_r: number;
  loss_r: number;
}

/** Read side of the signal store. */
@Injectable()
export class SignalQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  async stats(filter: SignalStatsFilter): Promise<SignalStats> {
    const scope: string[] = [];
    const params: unknown[] = [];
    if (filter.timeframe !== undefined) scope.push(`timeframe = $${params.push(filter.timeframe)}`);
    if (filter.direction !== undefined) scope.push(`direction = $${params.push(filter.direction)}`);
    const scopeSql = scope.map((c) => ` AND ${c}`).join('');
    const since = filter.since === undefined ? '' : ` AND closed_at >= $${params.length + 1}`;
    const rows: GroupRow[] = await this.dataSource.query(
      `SELECT timeframe, direction, status, count(*) AS count, sum(outcome_r) AS sum_r,
              sum(GREATEST(outcome_r, 0)) AS gain_r, sum(LEAST(outcome_r, 0)) AS loss_r
       FROM signals WHERE status <> 'ACTIVE' AND outcome_r IS NOT NULL${scopeSql}${since}
       GROUP BY timeframe, direction, status`,
      filter.since === undefined ? params : [...params, filter.since],
    );
    const [{ active }]: { active: string }[] = await this.dataSource.query(
      `SELECT count(*) AS active FROM signals WHERE status = 'ACTIVE'${scopeSql}`,
      params,
    );
    const groups = rows.map((r) => ({
      key: r,
      group: {
        status: r.status,
        count: Number(r.count),
        sumR: Number(r.sum_r),
        gainR: Number(r.gain_r),
        lossR: Number(r.loss_r),
      } as OutcomeGroup,
    }));
    const byTimeframe: Record<string, OutcomeStats> = {};
    for (const timeframe of [...new Set(rows.map((r) => r.timeframe))].sort()) {
      byTimeframe[timeframe] = aggregateOutcomeStats(
        groups.filter((g) => g.key.timeframe === timeframe).map((g) => g.group),
      );
    }
    const byDirection = Object.fromEntries(
      SIGNAL_DIRECTIONS.map((d) => [
        d,
        aggregateOutcomeStats(groups.filter((g) => g.key.direction === d).map((g) => g.group)),
      ]),
    ) as Record<SignalDirection, OutcomeStats>;
    return {
      since: filter.since?.toISOString() ?? null,
      active: Number(active),
      overall: aggregateOutcomeStats(groups.map((g) => g.group)),
      byTimeframe,
      byDirection,
    };
  }
}
