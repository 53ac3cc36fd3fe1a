import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { MarketDataStatus, ScannerStatusPayload } from '@scanner/contracts';
import { SignalsStore } from '@app/core/signals/signals.store';
import { ClockService } from '@app/core/time/clock.service';
import { FreshnessComponent, formatLag } from './freshness.component';

const NOW = Date.parse('2024-08-05T10:01:00Z');

const streaming: MarketDataStatus = {
  source: 'stream',
  state: 'streaming',
  connections: 1,
  streams: 200,
  lastEvaluationLagMs: 42,
  lastStreamedCloseAt: '2024-08-05T10:00:48Z',
  lastEvaluatedAt: '2024-08-05T10:00:48Z',
  detail: '1 connection(s), 200 streams',
};

function status(overrides: Partial<ScannerStatusPayload>): ScannerStatusPayload {
  return {
    state: 'idle',
    lastScanAt: null,
    lastScanDurationMs: null,
    symbols: 50,
    activeSignals: 0,
    paused: false,
    exchangeBackoff: false,
    pauseUntil: null,
    serverTime: new Date(NOW).toISOString(),
    marketData: streaming,
    ...overrides,
  };
}

describe('FreshnessComponent', () => {
  let fixture: ComponentFixture<FreshnessComponent>;
  const current = signal<ScannerStatusPayload | null>(null);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        { provide: SignalsStore, useValue: { scannerStatus: current.asReadonly() } },
        { provide: ClockService, useValue: { serverNow: () => NOW } },
      ],
    });
    fixture = TestBed.createComponent(FreshnessComponent);
  });

  async function text(value: ScannerStatusPayload): Promise<string> {
    current.set(value);
    fixture.detectChanges();
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).textContent?.trim() ?? '';
  }

  it('says the data streams, how old the newest candle is and how soon after its close it was evaluated', async () => {
    expect(await text(status({}))).toBe('streaming · last candle 12 s ago, evaluated 0.04 s after close');
  });

  it('names the polling fallback when the streams are down', async () => {
    const down: MarketDataStatus = {
      ...streaming,
      state: 'polling',
      detail: 'stream down, polling: closed (1006)',
    };
    expect(await text(status({ marketData: down, lastScanAt: '2024-08-05T10:00:20Z' }))).toBe(
      'stream down, polling · last scan 40 s ago',
    );
  });

  it('says only the last scan in polling mode, and turns stale after two minutes', async () => {
    const poll: MarketDataStatus = {
      ...streaming,
      source: 'poll',
      state: 'polling',
      lastEvaluatedAt: null,
      lastEvaluationLagMs: null,
    };
    expect(await text(status({ marketData: poll, lastScanAt: '2024-08-05T09:58:30Z' }))).toBe(
      'last scan 2 min ago',
    );
    expect((fixture.nativeElement as HTMLElement).querySelector('.stale')).not.toBeNull();
  });

  it('formats sub-second lags with decimals', () => {
    expect([formatLag(42), formatLag(1300), formatLag(12_400)]).toEqual(['0.04 s', '1.3 s', '12 s']);
  });
});
