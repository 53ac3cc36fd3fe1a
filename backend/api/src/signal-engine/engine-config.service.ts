import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ScoringVersion } from '@scanner/contracts';
import {
  DEFAULT_ENGINE_CONFIG,
  InvalidEngineConfigError,
  resolveEngineConfig,
  validateEngineConfig,
  type EngineConfig,
  type EngineConfigOverrides,
} from '@scanner/signal-core';
import { AppConfig } from '../config';
import { sameConfig, ScoringVersionsService } from './scoring-versions.service';

/** The cost settings of the engine and the environment variable each one comes from. */
const COSTS = { feeBps: 'FEE_BPS', slippageBps: 'SLIPPAGE_BPS' } as const;

/** The configuration the engine scores with and the scoring version it comes from. */
export interface ConfigInForce {
  version: number;
  config: EngineConfig;
}

/**
 * The engine thresholds (DESIGN §6): the active scoring version's configuration (scoring_versions,
 * issue 18), so every process uses the same. A change never alters a version: it makes a new one and
 * activates it. The costs (feeBps, slippageBps) are the deployment's FEE_BPS and SLIPPAGE_BPS,
 * whatever a version stored: every process reads the same environment, and the net R of every close
 * is computed with them.
 */
@Injectable()
export class EngineConfigService {
  private readonly logger = new Logger(EngineConfigService.name);
  /** The config in force built from the last active version seen: the same object while it stays active. */
  private lastInForce: { from: ScoringVersion; inForce: ConfigInForce } | null = null;

  constructor(
    private readonly versions: ScoringVersionsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async get(): Promise<EngineConfig> {
    return (await this.inForce()).config;
  }

  /**
   * The active version and its configuration (with the environment's costs), read together. Cached
   * (ScoringVersionsService.activeCached): a version activated by this process is in force at once,
   * one activated by another process within ACTIVE_VERSION_CACHE_MS (3 s).
   */
  async inForce(): Promise<ConfigInForce> {
    const active = await this.versions.activeCached();
    const last = this.lastInForce;
    if (last !== null && last.from === active) return last.inForce;
    const inForce = { version: active.id, config: this.configOf(active) };
    this.lastInForce = { from: active, inForce };
    return inForce;
  }

  /** Forgets the cached active version (after scoring_versions was changed other than through this service). */
  forgetCached(): void {
    this.versions.forgetActive();
  }

  /** A version's configuration as the engine would score with it (validated, the environment's costs). */
  configOf(version: ScoringVersion): EngineConfig {
    return this.withCosts(this.validStored(version));
  }

  private withCosts(config: EngineConfig): EngineConfig {
    const { feeBps, slippageBps } = this.config;
    if (config.feeBps === feeBps && config.slippageBps === slippageBps) return config;
    return Object.freeze({ ...config, feeBps, slippageBps });
  }

  private validStored(version: ScoringVersion): EngineConfig {
    try {
      return validateEngineConfig(version.config);
    } catch (error) {
      if (!(error instanceof InvalidEngineConfigError)) throw error;
      this.logger.error({
        msg: 'stored scoring version is invalid; using the defaults',
        scoringVersion: version.id,
        issues: error.issues,
      });
      return DEFAULT_ENGINE_CONFIG;
    }
  }

  /**
   * `overrides` on top of the defaults, validated: throws InvalidEngineConfigError (naming every bad
   * field). The costs come from the environment: a feeBps or slippageBps other than FEE_BPS /
   * SLIPPAGE_BPS is refused.
   */
  resolve(overrides: EngineConfigOverrides): EngineConfig {
    const config = resolveEngineConfig(overrides);
    const issues = (Object.keys(COSTS) as (keyof typeof COSTS)[])
      .filter((key) => config[key] !== this.config[key] && overrides[key] !== undefined)
      .map((key) => ({
        field: key,
        message: `is set by ${COSTS[key]} in the environment (${this.config[key]}); change ${COSTS[key]} and restart instead`,
      }));
    if (issues.length > 0) throw new InvalidEngineConfigError(issues);
    return this.withCosts(config);
  }

  /**
   * Validates `overrides` on top of the defaults (see resolve; nothing stored when invalid) and, when
   * that differs from the active version, stores it as a new version and activates it. Engines pick
   * the new config up on their next scan (they are rebuilt from their state).
   */
  async set(overrides: EngineConfigOverrides, note = 'PUT /api/admin/config'): Promise<EngineConfig> {
    const config = this.resolve(overrides);
    const current = this.configOf(await this.versions.active());
    if (sameConfig(current, config)) return current;
    await this.versions.create(config, note, true);
    return config;
  }

  /** A new version from `overrides` (validated like set), activated at once when `activate`. */
  createVersion(overrides: EngineConfigOverrides, note: string, activate: boolean): Promise<ScoringVersion> {
    return this.versions.create(this.resolve(overrides), note, activate);
  }
}
