import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalEvent } from '@scanner/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { intervalMs } from '../../market-data/interval-ms';
import { SignalEventEntity } from '../../signal-engine/entities/signal-event.entity';
import { ChannelName, NotificationChannel } from './notification-channel';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { TelegramChannel } from './telegram.channel';
import { WebhookChannel } from './webhook.channel';

const CURSOR_KEY = 'notify-cursor';

/**
 * Whether an event is news: its market time (creation or close) is within two candles of when it was
 * recorded. An engine warming up on stored history records old signals too; those are not notified.
 */
export function isFresh(event: Pick<SignalEventEntity, 'type' | 'payload' | 'recordedAt'>): boolean {
  const signal = event.payload;
  const marketTime = Date.parse(event.type === 'deleted' ? (signal.closedAt ?? signal.updatedAt) : signal.createdAt);
  return event.recordedAt.getTime() - marketTime <= 2 * intervalMs(signal.timeframe) + 60_000;
}
const BATCH = 500;

export interface PlannedDelivery {
  idempotencyKey: string;
}

/**
 * Turns signal events into deliveries, once each per channel. The event log is the source: a cursor
 * (app_settings) advances in the same transaction that records the deliveries, so a crash neither
 * loses nor repeats one. Notified: signals created at or above NOTIFY_MIN_CONFIDENCE, and every close,
 * when fresh (see isFresh).
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);
  private readonly channels: NotificationChannel[];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    webhook: WebhookChannel,
    telegram: TelegramChannel,
  ) {
    this.channels = [webhook, telegram];
  }

  enabledChannels(): ChannelName[] {
    return this.channels.filter((channel) => channel.enabled).map((channel) => channel.name);
  }

  /** Creates the cursor at the current last event when there is none yet (idempotent). */
  async startCursor(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO app_settings (key, value) SELECT $1, to_jsonb(COALESCE(MAX(seq), 0)) FROM signal_events ON CONFLICT (key) DO NOTHING`,
      [CURSOR_KEY],
    );
  }

  /** Records deliveries for the events past the cursor; returns every delivery still pending. */
  async plan(): Promise<PlannedDelivery[]> {
    const channels = this.enabledChannels();
    if (channels.length === 0) return [];
    await this.startCursor();
    await this.dataSource.transaction(async (manager) => {
      const cursor = await this.lockCursor(manager);
      const events = await manager
        .getRepository(SignalEventEntity)
        .createQueryBuilder('event')
        .where('event.seq > :cursor', { cursor })
        .orderBy('event.seq', 'ASC')
        .limit(BATCH)
        .getMany();
      if (events.length === 0) return;
      const rows = events
        .filter((event) => this.qualifies(event))
        .flatMap((event) =>
          channels.map((channel) => ({
            idempotencyKey: `${event.seq}:${channel}`,
            channel,
            eventSeq: event.seq,
            status: 'pending' as const,
            attempts: 0,
          })),
        );
      if (rows.length > 0) {
        await manager.createQueryBuilder().insert().into(NotificationDeliveryEntity).values(rows).orIgnore().execute();
      }
      await this.saveCursor(manager, events[events.length - 1].seq);
    });
    const pending = await this.dataSource
      .getRepository(NotificationDeliveryEntity)
      .find({ where: { status: 'pending' }, order: { eventSeq: 'ASC' }, take: 1000 });
    return pending.map((delivery) => ({ idempotencyKey: delivery.idempotencyKey }));
  }

  /**
   * Sends one delivery unless it already went out. Throws on failure (the job retries); on the last
   * attempt marks it failed and logs an error.
   */
  async deliver(idempotencyKey: string, lastAttempt: boolean): Promise<'delivered' | 'skipped'> {
    const deliveries = this.dataSource.getRepository(NotificationDeliveryEntity);
    const delivery = await deliveries.findOneBy({ idempotencyKey });
    if (delivery === null || delivery.status !== 'pending') return 'skipped';
    const channel = this.channels.find((candidate) => candidate.name === delivery.channel);
    const row = await this.dataSource.getRepository(SignalEventEntity).findOneBy({ seq: delivery.eventSeq });
    if (channel === undefined || !channel.enabled || row === null) {
      await deliveries.update({ idempotencyKey }, { status: 'failed', lastError: 'channel disabled or event purged' });
      return 'skipped';
    }
    const event: SignalEvent = { seq: row.seq, type: row.type, signal: row.payload };
    try {
      await channel.send(event, idempotencyKey);
    } catch (error) {
      const message = (error as Error).message;
      await deliveries.update(
        { idempotencyKey },
        { attempts: delivery.attempts + 1, lastError: message, ...(lastAttempt ? { status: 'failed' as const } : {}) },
      );
      if (lastAttempt) this.logger.error(`gave up delivering ${idempotencyKey} after ${delivery.attempts + 1} attempts: ${message}`);
      throw error;
    }
    await deliveries.update({ idempotencyKey }, { status: 'delivered', attempts: delivery.attempts + 1, deliveredAt: new Date(), lastError: null });
    return 'delivered';
  }

  private qualifies(event: SignalEventEntity): boolean {
    if (!isFresh(event)) return false;
    if (event.type === 'deleted') return true;
    return event.type === 'created' && event.payload.confidence >= this.config.notifyMinConfidence;
  }

  /** The cursor row, locked for this transaction (see startCursor). */
  private async lockCursor(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT value FROM app_settings WHERE key = $1 FOR UPDATE`, [CURSOR_KEY]);
    return Number(row.value);
  }

  private async saveCursor(manager: EntityManager, seq: number): Promise<void> {
    await manager.query(`UPDATE app_settings SET value = to_jsonb($2::bigint), updated_at = now() WHERE key = $1`, [CURSOR_KEY, seq]);
  }
}
