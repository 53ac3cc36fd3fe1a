import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * One entry of `app_settings`: its key and how to read what is stored (undefined when never set).
 * The service that owns a setting declares it once, so its key and parser exist in one place.
 */
export interface AppSetting<T> {
  readonly key: string;
  parse(stored: unknown): T;
}

export function appSetting<T>(key: string, parse: (stored: unknown) => T): AppSetting<T> {
  return { key, parse };
}

/**
 * The `app_settings` table: small JSON values every process shares (engine config, the scanner's pause
 * switch, the notification cursor). The `manager` variants run inside a caller's transaction.
 */
@Injectable()
export class AppSettingsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get<T>(setting: AppSetting<T>, manager: EntityManager = this.dataSource.manager): Promise<T> {
    return setting.parse(await this.read(setting.key, manager, ''));
  }

  /** The value, its row locked until the end of `manager`'s transaction. */
  async getForUpdate<T>(setting: AppSetting<T>, manager: EntityManager): Promise<T> {
    return setting.parse(await this.read(setting.key, manager, ' FOR UPDATE'));
  }

  async set<T>(
    setting: AppSetting<T>,
    value: T,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [setting.key, JSON.stringify(value)],
    );
  }

  /** Stores `value` unless the key already has one (the first writer wins across processes). */
  async setIfAbsent<T>(setting: AppSetting<T>, value: T): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [setting.key, JSON.stringify(value)],
    );
  }

  private async read(key: string, manager: EntityManager, lock: '' | ' FOR UPDATE'): Promise<unknown> {
    const rows: { value: unknown }[] = await manager.query(
      `SELECT value FROM app_settings WHERE key = $1${lock}`,
      [key],
    );
    return rows.length === 0 ? undefined : rows[0].value;
  }
}
