import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export const SCANNER_PAUSED_KEY = 'scanner-paused';

interface PauseSetting {
  paused: boolean;
  since: string | null;
}

/** The operator's pause switch, shared by every process (app_settings): cron keeps ticking, scans skip. */
@Injectable()
export class ScannerPauseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async state(): Promise<PauseSetting> {
    const [row] = await this.dataSource.query(`SELECT value FROM app_settings WHERE key = $1`, [SCANNER_PAUSED_KEY]);
    const value = row?.value as Partial<PauseSetting> | undefined;
    return { paused: value?.paused === true, since: typeof value?.since === 'string' ? value.since : null };
  }

  async isPaused(): Promise<boolean> {
    return (await this.state()).paused;
  }

  async set(paused: boolean, at: Date): Promise<PauseSetting> {
    const value: PauseSetting = { paused, since: paused ? at.toISOString() : null };
    await this.dataSource.query(
      `INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [SCANNER_PAUSED_KEY, JSON.stringify(value)],
    );
    return value;
  }
}
