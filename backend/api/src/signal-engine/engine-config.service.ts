import { Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_ENGINE_CONFIG,
  InvalidEngineConfigError,
  resolveEngineConfig,
  validateEngineConfig,
  type EngineConfig,
  type EngineConfigOverrides,
} from '@scanner/signal-core';
import { appSetting, AppSettingsStore } from '../database';

/** Nothing stored: the defaults; something stored: validated (InvalidEngineConfigError when not valid). */
const ENGINE_CONFIG = appSetting('engine-config', (stored): EngineConfig =>
  stored === undefined ? DEFAULT_ENGINE_CONFIG : validateEngineConfig(stored),
);

/**
 * The engine thresholds (DESIGN §6), stored in app_settings under 'engine-config' so every process
 * uses the same; DEFAULT_ENGINE_CONFIG when nothing (valid) is stored.
 */
@Injectable()
export class EngineConfigService {
  private readonly logger = new Logger(EngineConfigService.name);

  constructor(private readonly settings: AppSettingsStore) {}

  async get(): Promise<EngineConfig> {
    try {
      return await this.settings.get(ENGINE_CONFIG);
    } catch (error) {
      if (!(error instanceof InvalidEngineConfigError)) throw error;
      this.logger.error({
        msg: 'stored engine config is invalid; using the defaults',
        key: ENGINE_CONFIG.key,
        issues: error.issues,
      });
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
    await this.settings.set(ENGINE_CONFIG, config);
    return config;
  }
}
