import { TestBed } from '@angular/core/testing';
import type { SignalDetail } from '@scanner/contracts';
import { makeSignal } from '@app/testing/make-signal';
import { OutcomePanelComponent } from './outcome-panel.component';

describe('OutcomePanelComponent', () => {
  async function render(signal: Parameters<typeof makeSignal>[0]): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(OutcomePanelComponent);
    const detail: SignalDetail = {
      signal: makeSignal({
        status: 'SL_HIT',
        closedAt: '2024-08-05T11:04:59.999Z',
        exitPrice: 59_000,
        ...signal,
      }),
      events: [],
      maxFavorableR: 0.4,
      maxAdverseR: -1,
    };
    fixture.componentRef.setInput('detail', detail);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const text = (el: HTMLElement, id: string) => el.querySelector(`[data-testid=${id}]`)?.textContent?.trim();

  it('shows net R first, gross beside it, the same-candle rule and the origin', async () => {
    const el = await render({ outcomeR: -1, netR: -1.17, resolution: 'conservative', origin: 'replay' });
    expect(text(el, 'net-r')).toBe('−1.17R');
    expect(text(el, 'gross-r')).toBe('−1.00R');
    expect(text(el, 'resolution')).toBe('conservative');
    expect(el.querySelector('[data-testid=resolution]')?.getAttribute('title')).toContain(
      'counted as the stop',
    );
    expect(text(el, 'outcome-origin')).toBe('replay');
  });

  it('leaves the same-candle rule out when one candle did not touch both levels', async () => {
    const el = await render({ outcomeR: -1, netR: -1.17, resolution: null });
    expect(el.querySelector('[data-testid=resolution]')).toBeNull();
  });
});
