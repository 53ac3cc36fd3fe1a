import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { EmbeddedDatabase } from '../../database';
import { PostgresChannelListener } from './postgres-channel-listener';

/** The Postgres NOTIFY channel the `signal_events` insert trigger signals on (once per statement). */
const OUTBOX_CHANNEL = 'signal_events';

/**
 * `LISTEN signal_events`: wakes a subscriber (the live feed's publisher) when any process commits an
 * event. Only a latency optimisation: the publisher also polls.
 */
@Injectable()
export class SignalEventListener extends PostgresChannelListener {
  constructor(config: AppConfig, embedded: EmbeddedDatabase, @InjectDataSource() dataSource: DataSource) {
    super(OUTBOX_CHANNEL, 'scanner-live-feed', config, embedded, dataSource);
  }
}
