import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DEFAULT_ENGINE_CONFIG,
  InvalidEngineConfigError,
  resolveEngineConfig,
  validateEngineConfig,
  type EngineConfig,
  type EngineConfigOverrides,
} from '@scanner/signal-core';
import { DataSource } from 'typeorm';

export const ENGINE_CONFIG_SETTING_KEY = 'engine-config';

/**
 * The engine thresholds (DESIGN §6), stored in app_settings under 'engine-config' so every process
 * uses the same; DEFAULT_ENGINE_CONFIG when nothing (valid) is stored.
 */
@Injectable()
export class EngineConfigService {
  private readonly logger = new Logger(EngineConfigService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(): Promise<EngineConfig> {
    const rows: { value: unknown }[] = await this.dataSource.query(`SELECT value FROM app_settings WHERE key = $1`, [ENGINE_CONFIG_SETTING_KEY]);
    if (rows.length === 0) return DEFAULT_ENGINE_CONFIG;
    try {
      return validateEngineConfig(rows[0].value);
    } catch (error) {
      if (!(error instanceof InvalidEngineConfigError)) throw error;
      this.logger.error({ msg: 'stored engine config is invalid; using the defaults', key: ENGINE_CONFIG_SETTING_KEY, issues: error.issues });
      return DEFAULT_ENGINE_CONFIG;
    }
  }

  /**
   * Validates `overrides` on top of the defaults and stores the result; throws
   * InvalidEngineConfigError (naming every bad field) and stores nothing when invalid.
   * Engines pick the new config up on their next scan (they are rebuilt from their state).
   */
  async set(overrides: EngineConfigOverrides): Promise<EngineConfig> {
    const config = resolveEngineConfig(overrides);
    await this.dataSource.query(
      `INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [ENGINE_CONFIG_SETTING_KEY, JSON.stringify(config)],
    );
    return config;
  }
}
