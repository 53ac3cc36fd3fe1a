import { TestBed } from '@angular/core/testing';
import { makeOutcomeStats, makeStats } from '@app/testing/make-quality';
import { QualityHeadlineComponent } from './quality-headline.component';

describe('QualityHeadlineComponent', () => {
  async function render(stats: ReturnType<typeof makeStats>): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(QualityHeadlineComponent);
    fixture.componentRef.setInput('stats', stats);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const text = (el: HTMLElement, id: string) =>
    el.querySelector(`[data-testid=${id}]`)?.textContent?.replace(/\s+/g, ' ').trim();

  it('shows net expectancy with gross beside it, labelled win and hit rates with n and interval, and shares', async () => {
    const el = await render(
      makeStats(
        makeOutcomeStats({ TP_HIT: 20, SL_HIT: 20, INVALIDATED: 8, EXPIRED: 2 }, { net: -5, gross: 10 }),
      ),
    );
    expect(text(el, 'expectancy-net')).toBe('−0.10R');
    expect(text(el, 'expectancy-gross')).toBe('gross +0.20R');
    expect(el.textContent).toContain('Win rate TP/(TP+SL)');
    expect(el.textContent).toContain('Hit rate TP / all closed');
    expect(text(el, 'win-rate')).toBe('50.0%');
    expect(text(el, 'win-rate-detail')).toBe('20 of 40 · 95% CI 35.2–64.8%');
    expect(text(el, 'hit-rate')).toBe('40.0%');
    expect(text(el, 'hit-rate-detail')).toBe('20 of 50 · 95% CI 27.6–53.8%');
    const shares = [...el.querySelectorAll('[data-testid=outcome-shares] tbody tr')].map((r) =>
      [...r.children].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' | '),
    );
    expect(shares[0]).toBe('Target hit | 20 | 40.0% | 95% CI 27.6–53.8%');
    expect(shares).toHaveLength(5);
    expect(el.querySelector('[data-testid=low-sample]')).toBeNull();
  });

  it('says a figure from fewer than 30 signals is anecdotal', async () => {
    const stats = makeOutcomeStats({ TP_HIT: 3, SL_HIT: 4 }, { net: -1, gross: 0.5 });
    const el = await render(makeStats({ ...stats, maxDrawdownR: 3.2 }));
    expect(el.textContent).toContain('max drawdown −3.20R');
    expect(text(el, 'low-sample')).toContain('Fewer than 30 signals — anecdotal: 7 closed live signals');
  });

  it('says what an empty live record means and where replayed history is', async () => {
    const el = await render(makeStats(makeOutcomeStats({})));
    expect(el.querySelector('[data-testid=headline]')).toBeNull();
    expect(text(el, 'headline-empty')).toContain('No closed live signals match these filters yet');
    expect(text(el, 'headline-empty')).toContain('Replay');
  });
});
