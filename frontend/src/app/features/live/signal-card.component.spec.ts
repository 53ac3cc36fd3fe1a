import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MarketSymbol } from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { makeSignal } from '@app/testing/make-signal';
import { SignalCardComponent } from './signal-card.component';

describe('SignalCardComponent', () => {
  let fixture: ComponentFixture<SignalCardComponent>;
  let el: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    fixture = TestBed.createComponent(SignalCardComponent);
    el = fixture.nativeElement as HTMLElement;
  });

  async function render(overrides: Parameters<typeof makeSignal>[0] = {}): Promise<void> {
    fixture.componentRef.setInput('signal', makeSignal(overrides));
    await fixture.whenStable();
  }
  const text = (selector: string) => el.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

  it('shows direction, symbol, timeframe, and levels at magnitude precision without market data', async () => {
    await render({
      symbol: 'XRPUSDT',
      entryPrice: 0.53214,
      stopLoss: 0.52,
      takeProfit: 0.55,
      direction: 'SHORT',
    });
    expect(text('app-direction-badge')).toBe('SHORT');
    expect(el.querySelector('[aria-label="SHORT signal"]')).not.toBeNull();
    expect(text('[data-testid=card-symbol]')).toBe('XRPUSDT');
    expect(text('[data-testid=entry]')).toBe('0.53214');
    expect(text('.live')).toBe('No live price yet');
    expect(el.classList).toContain('short');
  });

  it('uses the tick size and the live price from the market symbols', async () => {
    const market = TestBed.inject(MarketSymbolsStore);
    const refresh = market.refresh();
    const symbol = {
      symbol: 'BTCUSDT',
      tickSize: 0.1,
      lastPrice: 60_500,
      freshness: {},
    } as unknown as MarketSymbol;
    TestBed.inject(HttpTestingController).expectOne('/api/market/symbols').flush([symbol]);
    await refresh;
    await render();
    expect(text('[data-testid=entry]')).toBe('60,000.0');
    expect(text('dt .stop')).toBe('−2.48%'); // (59000 − 60500) / 60500
    expect(text('dt .target')).toBe('+1.93%');
    expect(text('.live')).toContain('Last price 60,500.0');
  });

  it('shows the 8-condition breakdown on focus and hides it on blur', async () => {
    await render();
    const meter = el.querySelector('[data-testid=confidence]') as HTMLElement;
    expect(el.querySelector('[data-testid=breakdown]')).toBeNull();
    meter.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    await fixture.whenStable();
    const rows = el.querySelectorAll('[data-testid=breakdown] tbody tr');
    expect(rows).toHaveLength(8);
    expect(rows[0].textContent).toContain('MACD cross');
    expect(rows[0].textContent).toContain('20');
    expect(rows[0].textContent).toContain('macd_cross detail');
    expect(meter.getAttribute('aria-describedby')).toBe(el.querySelector('[role=tooltip]')?.id);
    meter.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=breakdown]')).toBeNull();
  });

  it('flashes when a newer version arrives, not on first render', async () => {
    await render({ version: 3 });
    expect(el.className).not.toMatch(/flash/);
    await render({ version: 4, confidence: 85 });
    expect(el.className).toMatch(/flash-a/);
    await render({ version: 5, confidence: 90 });
    expect(el.className).toMatch(/flash-b/);
  });

  it('shows the outcome of a closed signal while it fades out', async () => {
    await render({
      status: 'TP_HIT',
      outcomeR: 1.67,
      netR: 1.52,
      exitPrice: 61666.67,
      closedAt: '2024-08-05T11:04:59.999Z',
    });
    expect(el.classList).toContain('closing');
    expect(el.classList).toContain('win');
    expect(text('[data-testid=card-outcome]')).toBe('Target hit · +1.52R net · exit 61,666.67 · lasted 1 h');
    expect(el.querySelector('[data-testid=card-outcome] [title]')?.getAttribute('title')).toBe(
      'gross +1.67R',
    );
    // The outcome takes the live price's line: the fixed-height card has no room for both.
    expect(el.querySelector('.live')).toBeNull();
  });

  it('shows pTarget as a percentage, with its sample size in the tooltip', async () => {
    await render({ timeframe: '5m', pTarget: 0.4821, pTargetSamples: 1234, pTargetNote: null });
    expect(text('[data-testid=p-target]')).toBe('P(TP) 48%');
    const tip = el.querySelector('[data-testid=p-target-tip]');
    expect(tip?.textContent?.trim()).toBe(
      '48% chance of reaching the target before the stop, from 1,234 closed signals on 5m',
    );
    expect(el.querySelector('[data-testid=p-target]')?.getAttribute('aria-describedby')).toBe(tip?.id);
  });

  it('says why there is no pTarget yet', async () => {
    await render({ pTarget: null, pTargetSamples: 0, pTargetNote: '120 of 200 closes on 5m so far' });
    expect(text('[data-testid=p-target]')).toBe('P(TP) —');
    expect(text('[data-testid=p-target-tip]')).toBe('No probability yet: 120 of 200 closes on 5m so far');
  });

  it('shows tiny prices whole, with every decimal', async () => {
    await render({
      symbol: 'PEPEUSDT',
      entryPrice: 0.00001359,
      stopLoss: 0.00001301,
      takeProfit: 0.00001455,
    });
    expect(text('[data-testid=entry]')).toBe('0.00001359');
    expect(text('[data-testid=stop]')).toBe('0.00001301');
    expect(text('[data-testid=target]')).toBe('0.00001455');
  });

  it('shows the other timeframes at creation, named for screen readers, and nothing without them', async () => {
    const other = {
      activeDirection: null,
      longConfidence: 60,
      shortConfidence: 20,
      asOf: '2024-08-05T10:00:00.000Z',
      stale: false,
    };
    await render({
      confluence: {
        timeframe: '5m',
        direction: 'LONG',
        agreeing: 2,
        others: [
          { ...other, timeframe: '1h', activeDirection: 'LONG', trend: 'above', agrees: true },
          { ...other, timeframe: '4h', trend: 'below', agrees: false },
        ],
      },
    });
    const marks = el.querySelector('[data-testid=confluence]');
    expect(marks?.textContent?.replace(/\s+/g, '')).toBe('1h▲✓4h▽');
    expect(marks?.getAttribute('aria-label')).toBe(
      'Other timeframes — 1h: long signal, agrees; 4h: below EMA200. 2 of 3 timeframes agree',
    );
    await render({ status: 'TP_HIT', closedAt: '2024-08-05T11:04:59.999Z', outcomeR: 1.67, netR: 1.5 });
    expect(el.querySelector('.confluence')).toBeNull();
    await render({ origin: 'replay', confluence: null });
    expect(el.querySelector('[data-testid=confluence]')).toBeNull();
    expect(el.querySelector('.confluence')).toBeNull();
    await render({ confluence: { timeframe: '5m', direction: 'LONG', agreeing: 1, others: [] } });
    expect(el.querySelector('.confluence')).toBeNull();
  });
});
