import { ComponentFixture, TestBed } from '@angular/core/testing';
import { makeSignal } from '@app/testing/make-signal';
import { ConfluencePanelComponent } from './confluence-panel.component';

describe('ConfluencePanelComponent', () => {
  let fixture: ComponentFixture<ConfluencePanelComponent>;
  let el: HTMLElement;

  beforeEach(() => {
    fixture = TestBed.createComponent(ConfluencePanelComponent);
    el = fixture.nativeElement as HTMLElement;
  });

  async function render(overrides: Parameters<typeof makeSignal>[0]): Promise<void> {
    fixture.componentRef.setInput('signal', makeSignal(overrides));
    await fixture.whenStable();
  }
  const text = (selector: string) => el.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

  it('lists every other timeframe with its state, confidences, time and agreement', async () => {
    await render({
      confluence: {
        timeframe: '5m',
        direction: 'LONG',
        agreeing: 2,
        others: [
          {
            timeframe: '1h',
            activeDirection: null,
            trend: 'above',
            longConfidence: 71.4,
            shortConfidence: 12,
            asOf: '2024-08-05T10:00:00.000Z',
            stale: false,
            agrees: true,
          },
          {
            timeframe: '4h',
            activeDirection: 'SHORT',
            trend: 'above',
            longConfidence: 40,
            shortConfidence: 55,
            asOf: '2024-08-05T04:00:00.000Z',
            stale: true,
            agrees: false,
          },
        ],
      },
    });
    expect(text('[data-testid=confluence-agreement]')).toBe('2 of 3 timeframes agree');
    expect(el.querySelector('[data-testid=confluence]')).not.toBeNull();
    const rows = [...el.querySelectorAll('[data-testid=confluence-table] tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['1h', '△ above EMA200', '71 / 12', '2024-08-05 10:00', '✓ yes'],
      ['4h', '▼ short signal (stale)', '40 / 55', '2024-08-05 04:00', 'no'],
    ]);
  });

  it('says why a replayed signal has none', async () => {
    await render({ origin: 'replay', confluence: null });
    expect(text('[data-testid=confluence-none]')).toContain('replayed signal');
    expect(el.querySelector('[data-testid=confluence-table]')).toBeNull();
  });
});
