import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ReplayResult } from '@scanner/contracts';
import { makeReplayResult, makeSide } from '@app/testing/make-replay';
import { ReplayResultComponent } from './replay-result.component';

describe('ReplayResultComponent', () => {
  let fixture: ComponentFixture<ReplayResultComponent>;
  const el = () => fixture.nativeElement as HTMLElement;
  const text = (selector: string) =>
    [...el().querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

  const cells = (selector: string) =>
    [...el().querySelectorAll(selector)].map((row) =>
      [...row.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()),
    );

  function render(result: ReplayResult): void {
    fixture = TestBed.createComponent(ReplayResultComponent);
    fixture.componentRef.setInput('result', result);
    fixture.detectChanges();
  }

  it('shows both sides: figures with n, both equity curves, a reliability chart each, the differing signals', () => {
    render(makeReplayResult());
    expect(text('[data-testid=row-expectancy] [data-testid=a]')).toEqual(['+0.05R']);
    expect(text('[data-testid=row-expectancy] small')[0]).toContain('n=10');
    expect(text('[data-testid=row-win-rate] small')[0]).toMatch(/95% CI/);
    expect(el().querySelector('[data-testid=equity-a]')!.getAttribute('d')).toMatch(/^M0,/);
    expect(el().querySelector('[data-testid=equity-b]')).not.toBeNull();
    for (const side of ['a', 'b'])
      expect(
        el().querySelector(`[data-testid=calibration-${side}] [data-testid=reliability-chart]`),
      ).not.toBeNull();
    expect(cells('[data-testid=differing-row]')).toEqual([
      ['BTCUSDT 5m LONG', '2024-08-05 00:00', 'not created', 'TP_HIT +1.60R'],
    ]);
    // Not asked for: no walk-forward or Monte Carlo section.
    expect(el().querySelector('[data-testid=walk-forward]')).toBeNull();
    expect(el().querySelector('[data-testid=monte-carlo]')).toBeNull();
  });

  it('shows out-of-sample walk-forward figures and the 5/50/95% bands, or why a side has none', () => {
    const wf = {
      spec: { inSampleHours: 48, outOfSampleHours: 24, gapHours: 1 },
      windows: [
        {
          index: 0,
          from: '2024-08-03T01:00:00.000Z',
          to: '2024-08-04T01:00:00.000Z',
          closed: 3,
          expectancy: 0.2,
          totalNetR: 0.6,
        },
      ],
      outOfSample: makeSide(1).stats,
      calibration: makeSide(1).calibration,
    };
    render(
      makeReplayResult({
        a: makeSide(1, {
          walkForward: wf,
          monteCarlo: {
            runs: 1000,
            seed: 7,
            trades: 'out-of-sample',
            observedTrades: 10,
            finalR: { p5: -3, p50: 0.5, p95: 4 },
            maxDrawdownR: { p5: 1, p50: 2.5, p95: 6 },
            lossProbability: 0.4,
          },
        }),
        b: makeSide(2, { walkForward: wf, monteCarloNote: 'no closed out-of-sample trade to resample' }),
      }),
    );
    expect(cells('[data-testid=wf-a] [data-testid=wf-window]')).toEqual([
      ['2024-08-03 01:00 → 2024-08-04 01:00', '3', '+0.20R', '+0.60R'],
    ]);
    expect(text('[data-testid=wf-a] [data-testid=wf-expectancy]')).toEqual(['+0.05R']);
    expect(text('[data-testid=mc-a] [data-testid=mc-final]')).toEqual(['−3.00R / +0.50R / +4.00R']);
    expect(text('[data-testid=mc-a] [data-testid=mc-drawdown]')).toEqual(['−1.00R / −2.50R / −6.00R']);
    expect(text('[data-testid=mc-b]')[0]).toContain('No bands: no closed out-of-sample trade to resample.');
  });

  it('says so when both versions agree on every signal', () => {
    render(makeReplayResult({ differing: [], differingTotal: 0 }));
    expect(text('[data-testid=no-differences]')[0]).toMatch(/^None: both versions created the same signals/);
  });
});
