import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignalEntity } from './entities/signal.entity';

const DAY_MS = 86_400_000;

/** History retention (HISTORY_RETENTION_DAYS): closed signals and, by cascade, their events. */
@Injectable()
export class SignalRetentionService {
  private readonly logger = new Logger(SignalRetentionService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    if (purged > 0)
      this.logger.log({ msg: 'purged closed signals', count: purged, cutoff: cutoff.toISOString() });
    return purged;
  }
}
