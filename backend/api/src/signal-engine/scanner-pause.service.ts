import { Injectable } from '@nestjs/common';
import { appSetting, AppSettingsStore } from '../database';

export interface PauseSetting {
  paused: boolean;
  since: string | null;
}

/**
 * Reads a stored pause flag. Besides what `set` writes ({ paused, since }) it accepts the shapes an
 * operator may write by hand: true, "true", { value: true }.
 */
export function parsePauseSetting(value: unknown): PauseSetting {
  if (value === true || value === 'true') return { paused: true, since: null };
  if (typeof value !== 'object' || value === null) return { paused: false, since: null };
  const record = value as Record<string, unknown>;
  const paused = record.paused === true || record.value === true;
  return { paused, since: paused && typeof record.since === 'string' ? record.since : null };
}

/** The operator's pause switch in app_settings: its key and parser, the only ones. */
const SCANNER_PAUSED = appSetting('scanner-paused', parsePauseSetting);

/** The operator's pause switch, shared by every process (app_settings): cron keeps ticking, scans skip. */
@Injectable()
export class ScannerPauseService {
  constructor(private readonly settings: AppSettingsStore) {}

  async state(): Promise<PauseSetting> {
    return this.settings.get(SCANNER_PAUSED);
  }

  async isPaused(): Promise<boolean> {
    return (await this.state()).paused;
  }

  async set(paused: boolean, at: Date): Promise<PauseSetting> {
    const value: PauseSetting = { paused, since: paused ? at.toISOString() : null };
    await this.settings.set(SCANNER_PAUSED, value);
    return value;
  }
}
