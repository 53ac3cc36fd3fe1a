import { TestBed } from '@angular/core/testing';
import { makeAblation } from '@app/testing/make-quality';
import { AblationTableComponent } from './ablation-table.component';

describe('AblationTableComponent', () => {
  async function render(closed: number): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(AblationTableComponent);
    fixture.componentRef.setInput('report', makeAblation(closed));
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows each condition held vs not held: count, hit rate with interval, mean net R', async () => {
    const el = await render(60);
    const rows = [...el.querySelectorAll('[data-testid=ablation-row]')].map((r) =>
      [...r.children].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' | '),
    );
    expect(rows).toHaveLength(8);
    expect(rows[0]).toBe('MACD cross | 10 | 40 | 30.0% 18.1–45.4% | +0.05R | 20 | 20.0% 8.1–41.6% | −0.20R');
    expect(el.querySelector('caption')?.textContent).toContain('60 closed signals');
  });

  it('says what the table would compare when nothing has closed', async () => {
    const el = await render(0);
    expect(el.querySelector('table')).toBeNull();
    expect(el.querySelector('[data-testid=ablation-empty]')?.textContent).toContain('No closed signal');
  });
});
