import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignalEntity } from './entities/signal.entity';
import { SignalChangeNotices } from './signal-change-notices';

const DAY_MS = 86_400_000;

/** History retention (HISTORY_RETENTION_DAYS): closed signals and, by cascade, their events. */
@Injectable()
export class SignalRetentionService {
  private readonly logger = new Logger(SignalRetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: SignalChangeNotices,
  ) {}

  /**
   * "Now" for retention is market time, as for everything about signals: the newest market time a
   * signal event recorded, never later than the host's clock. Against the real exchange the two agree;
   * against a replaying one (the demo, the simulator) history from its past is kept, not purged.
   */
  async marketNow(hostNow: Date): Promise<Date> {
    // The newest event's market time (seq order is commit order: a backward scan of the primary key).
    const rows: { t: string | null }[] = await this.dataSource.query(
      'SELECT market_time::text AS t FROM signal_events WHERE market_time IS NOT NULL ORDER BY seq DESC LIMIT 1',
    );
    const market = rows[0]?.t === null || rows[0]?.t === undefined ? null : Number(rows[0].t);
    return market === null || !Number.isFinite(market) || market >= hostNow.getTime()
      ? hostNow
      : new Date(market);
  }

  /** Deletes signals closed before `now − days`; ACTIVE signals are never purged. Returns how many went. */
  async purgeClosedOlderThan(days: number, now: Date): Promise<number> {
    if (!Number.isFinite(days) || days < 0)
      throw new RangeError(`retention days must be a number >= 0, got ${days}`);
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SignalEntity)
      .where(`status <> 'ACTIVE' AND closed_at < :cutoff`, { cutoff })
      .execute();
    const purged = result.affected ?? 0;
    if (purged > 0) this.notices.changed(['purged']);
    if (purged > 0)
      this.logger.log({ msg: 'purged closed signals', count: purged, cutoff: cutoff.toISOString() });
    return purged;
  }
}
