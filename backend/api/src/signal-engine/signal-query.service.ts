import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalsSnapshotPayload } from '@scanner/contracts';
import { DataSource } from 'typeorm';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { toWireSignal } from './signal.mapper';

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
    return this.dataSource.getRepository(SignalEntity).count({ where: { status: 'ACTIVE' } });
  }
}
