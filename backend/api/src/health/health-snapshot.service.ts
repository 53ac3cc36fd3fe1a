import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { HealthSnapshotEntity } from './health-snapshot.entity';
import { ReadinessService } from './readiness.service';

const KEEP_SNAPSHOTS_DAYS = 7;

/** Records the readiness of the deployment every few minutes, for the status history. */
@Injectable()
export class HealthSnapshotService {
  constructor(
    private readonly readiness: ReadinessService,
    @InjectRepository(HealthSnapshotEntity) private readonly snapshots: Repository<HealthSnapshotEntity>,
  ) {}

  async record(at: Date): Promise<HealthSnapshotEntity> {
    const { healthy, result } = await this.readiness.report();
    const snapshot = await this.snapshots.save(
      this.snapshots.create({ recordedAt: at, healthy, details: result.details as Record<string, unknown> }),
    );
    await this.snapshots.delete({ recordedAt: LessThan(new Date(at.getTime() - KEEP_SNAPSHOTS_DAYS * 86_400_000)) });
    return snapshot;
  }
}
