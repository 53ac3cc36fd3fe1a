import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { EmbeddedDatabase } from '../../database';
import { PostgresChannelListener } from './postgres-channel-listener';

/** The NOTIFY channel of the `engine_states` write trigger (one notification per writing statement, no payload). */
export const ENGINE_STATES_CHANNEL = 'engine_states';

/**
 * `LISTEN engine_states`: wakes a subscriber (the market matrix feed) when any process saved engine
 * states, i.e. evaluated candles. Only a latency optimisation: the feed also refreshes slowly.
 */
@Injectable()
export class EngineStateListener extends PostgresChannelListener {
  constructor(config: AppConfig, embedded: EmbeddedDatabase, @InjectDataSource() dataSource: DataSource) {
    super(ENGINE_STATES_CHANNEL, 'scanner-market-matrix', config, embedded, dataSource);
  }
}
