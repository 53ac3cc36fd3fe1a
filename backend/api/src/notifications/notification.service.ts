import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config';
import { appSetting, AppSettingsStore } from '../database';
import { intervalMs } from '../market-data';
import { JOB_DEFINITIONS } from '../scheduler';
import { type RecordedSignalEvent, SignalEventLog } from '../signal-engine';
import { AlertDeliveryService, RULE_KEY_PREFIX } from './alert-delivery.service';
import { ChannelName, NotificationChannel } from './notification-channel';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { TelegramChannel } from './telegram.channel';
import { WebhookChannel } from './webhook.channel';

/** The last event seq turned into deliveries; undefined until the first start (see startCursor). */
const CURSOR = appSetting('notify-cursor', (stored): number | undefined =>
  stored === undefined ? undefined : Number(stored),
);

/**
 * Whether an event is news: its market time (creation or close) is within two candles of the market
 * time at which it was recorded (the newest market data of the engine step that wrote it). Both are the
 * exchange's times, so a replaying exchange (the demo, a simulator) is judged by its own clock; an
 * engine warming up on stored history records old signals too, and those are not notified. Rows
 * recorded before the step's market time was stored fall back to the host's clock.
 */
export function isFresh(
  event: Pick<RecordedSignalEvent, 'type' | 'signal' | 'recordedAt' | 'marketTime'>,
): boolean {
  const signal = event.signal;
  const eventTime = Date.parse(
    event.type === 'deleted' ? (signal.closedAt ?? signal.updatedAt) : signal.createdAt,
  );
  const now = event.marketTime ?? event.recordedAt.getTime();
  return now - eventTime <= 2 * intervalMs(signal.timeframe) + 60_000;
}
/**
 * NOTIFY_MIN_PTARGET: with a minimum set, only a signal whose pTarget reaches it (one without pTarget —
 * too few closes for a fit yet — does not); without one, every signal passes.
 */
export function meetsMinPTarget(signal: { pTarget?: number | null }, minPTarget: number | null): boolean {
  if (minPTarget === null) return true;
  return signal.pTarget !== null && signal.pTarget !== undefined && signal.pTarget >= minPTarget;
}

const BATCH = 500;

export interface PlannedDelivery {
  idempotencyKey: string;
}

/**
 * Turns signal events into deliveries, once each per channel. The event log is the source: a cursor
 * (app_settings) advances in the same transaction that records the deliveries, so a crash neither
 * loses nor repeats one. Notified: signals created at or above NOTIFY_MIN_CONFIDENCE (and, when set, with
 * pTarget at or above NOTIFY_MIN_PTARGET), and every close, when fresh (see isFresh).
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);
  private readonly channels: NotificationChannel[];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: SignalEventLog,
    private readonly settings: AppSettingsStore,
    private readonly alertDeliveries: AlertDeliveryService,
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
    if ((await this.settings.get(CURSOR)) !== undefined) return;
    await this.settings.setIfAbsent(CURSOR, await this.events.maxSeq());
  }

  /**
   * Records deliveries for the events past the cursor (the environment's channels and every enabled
   * alert rule, in the same transaction as the cursor); returns every delivery still pending.
   */
  async plan(): Promise<PlannedDelivery[]> {
    const channels = this.enabledChannels();
    const alertContext = await this.alertDeliveries.planContext();
    if (channels.length === 0 && alertContext === null) return [];
    await this.startCursor();
    await this.dataSource.transaction(async (manager) => {
      const cursor = await this.lockCursor(manager);
      const events = await this.events.readAfter(cursor, BATCH, manager);
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
        await manager
          .createQueryBuilder()
          .insert()
          .into(NotificationDeliveryEntity)
          .values(rows)
          .orIgnore()
          .execute();
      }
      if (alertContext !== null)
        await this.alertDeliveries.plan(events.filter(isFresh), manager, alertContext);
      await this.saveCursor(manager, events[events.length - 1].seq);
    });
    const pending = await this.dataSource
      .getRepository(NotificationDeliveryEntity)
      .find({ where: { status: 'pending' }, order: { eventSeq: 'ASC' }, take: 1000 });
    return [
      ...pending.map((delivery) => ({ idempotencyKey: delivery.idempotencyKey })),
      ...(await this.alertDeliveries.pending(1000)).map((idempotencyKey) => ({ idempotencyKey })),
    ];
  }

  /**
   * Sends one delivery unless it already went out. Throws on failure (the job retries); on the last
   * attempt marks it failed and logs an error.
   */
  async deliver(idempotencyKey: string, lastAttempt: boolean): Promise<'delivered' | 'skipped'> {
    if (idempotencyKey.startsWith(RULE_KEY_PREFIX))
      return this.alertDeliveries.deliver(idempotencyKey, lastAttempt, JOB_DEFINITIONS.notify.attempts);
    const deliveries = this.dataSource.getRepository(NotificationDeliveryEntity);
    const delivery = await deliveries.findOneBy({ idempotencyKey });
    if (delivery === null || delivery.status !== 'pending') return 'skipped';
    const channel = this.channels.find((candidate) => candidate.name === delivery.channel);
    const recorded = await this.events.find(delivery.eventSeq);
    if (channel === undefined || !channel.enabled || recorded === null) {
      await deliveries.update(
        { idempotencyKey },
        { status: 'failed', lastError: 'channel disabled or event purged' },
      );
      return 'skipped';
    }
    const event = { seq: recorded.seq, type: recorded.type, signal: recorded.signal };
    try {
      await channel.send(event, idempotencyKey);
    } catch (error) {
      const message = (error as Error).message;
      await deliveries.update(
        { idempotencyKey },
        {
          attempts: delivery.attempts + 1,
          lastError: message,
          ...(lastAttempt ? { status: 'failed' as const } : {}),
        },
      );
      if (lastAttempt)
        this.logger.error(
          `gave up delivering ${idempotencyKey} after ${delivery.attempts + 1} attempts: ${message}`,
        );
      throw error;
    }
    await deliveries.update(
      { idempotencyKey },
      { status: 'delivered', attempts: delivery.attempts + 1, deliveredAt: new Date(), lastError: null },
    );
    return 'delivered';
  }

  private qualifies(event: RecordedSignalEvent): boolean {
    if (!isFresh(event)) return false;
    if (event.type === 'deleted') return true;
    if (event.type !== 'created' || event.signal.confidence < this.config.notifyMinConfidence) return false;
    return meetsMinPTarget(event.signal, this.config.notifyMinPTarget);
  }

  /** The cursor row, locked for this transaction (see startCursor). */
  private async lockCursor(manager: EntityManager): Promise<number> {
    const cursor = await this.settings.getForUpdate(CURSOR, manager);
    if (cursor === undefined)
      throw new Error('the notification cursor vanished after startCursor created it');
    return cursor;
  }

  private async saveCursor(manager: EntityManager, seq: number): Promise<void> {
    await this.settings.set(CURSOR, seq, manager);
  }
}
