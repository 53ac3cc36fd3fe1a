import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { SignalConfluence, TimeframeConfluence } from '@scanner/contracts';
import { agreementText, confluenceLabel, confluenceMark, noConfluenceReason } from './confluence';
import { ConfluenceComponent } from './confluence.component';

const state = (overrides: Partial<TimeframeConfluence>): TimeframeConfluence => ({
  timeframe: '1h',
  activeDirection: null,
  trend: null,
  longConfidence: 50,
  shortConfidence: 30,
  asOf: '2024-08-05T10:00:00.000Z',
  stale: false,
  agrees: false,
  ...overrides,
});

const confluence: SignalConfluence = {
  timeframe: '5m',
  direction: 'LONG',
  agreeing: 2,
  others: [
    state({ timeframe: '1h', activeDirection: 'LONG', trend: 'below', agrees: true }),
    state({ timeframe: '4h', trend: 'above' }),
  ],
};

describe('confluence marks', () => {
  it('points by the active signal first (filled), else by the EMA200 side (outlined)', () => {
    expect(confluenceMark(state({ activeDirection: 'SHORT', trend: 'above' }))).toMatchObject({
      arrow: '▼',
      side: 'down',
      label: '1h: short signal',
    });
    expect(confluenceMark(state({ trend: 'above', agrees: true }))).toMatchObject({
      arrow: '△',
      side: 'up',
      label: '1h: above EMA200, agrees',
    });
    expect(confluenceMark(state({ trend: 'below', stale: true })).label).toBe('1h: below EMA200, stale');
  });

  it('says when nothing is known: no state at all, or EMA200 not warmed up', () => {
    expect(confluenceMark(state({ asOf: null, stale: true }))).toMatchObject({
      arrow: '–',
      side: null,
      label: '1h: no data yet',
    });
    expect(confluenceMark(state({})).label).toBe('1h: no trend yet (EMA200 needs 200 candles)');
  });

  it('reads as one sentence with the agreement count', () => {
    expect(confluenceLabel(confluence)).toBe(
      'Other timeframes — 1h: long signal, agrees; 4h: above EMA200. 2 of 3 timeframes agree',
    );
    expect(agreementText(confluence)).toBe('2 of 3 timeframes agree');
  });

  it('explains a missing confluence: replay, before it was stored, one scanned timeframe', () => {
    expect(noConfluenceReason(null, 'replay', '5m')).toContain('replayed signal');
    expect(noConfluenceReason(null, 'live', '5m')).toContain('before confluence was stored');
    expect(noConfluenceReason(undefined, 'live', '5m')).toContain('before confluence was stored');
    expect(noConfluenceReason({ ...confluence, agreeing: 1, others: [] }, 'live', '5m')).toBe(
      'Only 5m is scanned: there is no other timeframe to compare.',
    );
    expect(noConfluenceReason(confluence, 'live', '5m')).toBeNull();
  });
});

describe('ConfluenceComponent', () => {
  let fixture: ComponentFixture<ConfluenceComponent>;
  let el: HTMLElement;

  beforeEach(() => {
    fixture = TestBed.createComponent(ConfluenceComponent);
    el = fixture.nativeElement as HTMLElement;
  });

  async function render(value: SignalConfluence | null | undefined): Promise<void> {
    fixture.componentRef.setInput('confluence', value);
    await fixture.whenStable();
  }

  it('shows each other timeframe with its arrow, ✓ where it agrees, named for screen readers', async () => {
    await render(confluence);
    const marks = el.querySelector('[data-testid=confluence]') as HTMLElement;
    expect(marks.textContent?.replace(/\s+/g, '')).toBe('1h▲✓4h△');
    expect(marks.getAttribute('role')).toBe('img');
    expect(marks.getAttribute('aria-label')).toBe(confluenceLabel(confluence));
    const hour = el.querySelector('[data-timeframe="1h"]') as HTMLElement;
    expect(hour.classList).toContain('agrees');
    expect(hour.classList).toContain('up');
    expect(el.querySelector('[data-timeframe="4h"]')?.classList).not.toContain('agrees');
  });

  it('renders nothing without another timeframe', async () => {
    await render(null);
    expect(el.querySelector('[data-testid=confluence]')).toBeNull();
    await render({ ...confluence, others: [] });
    expect(el.querySelector('[data-testid=confluence]')).toBeNull();
  });
});
