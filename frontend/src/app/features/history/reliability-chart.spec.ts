import { TestBed } from '@angular/core/testing';
import { makeBucket, makeCalibration } from '@app/testing/make-quality';
import { RELIABILITY_BOX, reliabilityGeometry } from './reliability-chart';
import { ReliabilityChartComponent } from './reliability-chart.component';

const BOX = { width: 140, height: 120, left: 20, right: 20, top: 10, bottom: 10 };

describe('reliabilityGeometry', () => {
  it('puts each bucket at its confidence centre and its observed P(TP before SL) on a 0..1 axis', () => {
    // x: confidence 70..100 over 20..120 px; y: probability 1..0 over 10..110 px.
    const g = reliabilityGeometry([makeBucket(70, 1, 3), makeBucket(95, 3, 1)], BOX);
    expect(g.marks.map((m) => m.label)).toEqual(['70–74', '95–100']);
    expect(g.marks[0].x).toBeCloseTo(20 + (2.5 / 30) * 100);
    expect(g.marks[0].y).toBeCloseTo(110 - 0.25 * 100);
    expect(g.marks[1].x).toBeCloseTo(20 + (27.5 / 30) * 100);
    expect(g.marks[1].y).toBeCloseTo(110 - 0.75 * 100);
    // The interval bar spans the Wilson bounds, around the point.
    expect(g.marks[0].yHigh as number).toBeLessThan(g.marks[0].y as number);
    expect(g.marks[0].yLow as number).toBeGreaterThan(g.marks[0].y as number);
  });

  it('draws the perfectly calibrated diagonal from (70, 70%) to (100, 100%)', () => {
    const g = reliabilityGeometry([makeBucket(70, 1, 1), makeBucket(95, 1, 1)], BOX);
    expect(g.diagonal).toEqual({ x1: 20, y1: 110 - 70, x2: 120, y2: 10 });
    expect(g.xTicks.map((t) => t.label)).toEqual(['70', '95', '100']);
    expect(g.yTicks.map((t) => t.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
  });

  it('leaves a bucket without any TP/SL close unplotted, with its count', () => {
    const g = reliabilityGeometry([makeBucket(80, 0, 0, 4)], RELIABILITY_BOX);
    expect(g.marks[0]).toMatchObject({ y: null, yLow: null, yHigh: null, count: 4 });
  });
});

describe('ReliabilityChartComponent', () => {
  async function render(report: ReturnType<typeof makeCalibration>): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(ReliabilityChartComponent);
    fixture.componentRef.setInput('report', report);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('plots a point with an error bar per bucket, counts, the dashed diagonal and the scores', async () => {
    const el = await render(
      makeCalibration([
        makeBucket(70, 9, 11, 10, -0.1),
        makeBucket(75, 0, 0, 3),
        makeBucket(80, 7, 5, 8, 0.2),
      ]),
    );
    expect(el.querySelectorAll('[data-testid=reliability-bucket]')).toHaveLength(3);
    expect(el.querySelectorAll('[data-testid=reliability-point]')).toHaveLength(2);
    expect(el.querySelectorAll('.bar')).toHaveLength(6);
    expect(el.querySelector('[data-testid=reliability-diagonal]')).not.toBeNull();
    expect([...el.querySelectorAll('.count')].map((t) => t.textContent?.trim())).toEqual([
      'n=30',
      'n=3',
      'n=20',
    ]);
    expect(el.querySelector('[data-testid=brier]')?.textContent?.trim()).toBe('0.262');
    expect(el.querySelector('[data-testid=rank-correlation]')?.textContent?.trim()).toBe('-0.04');
    expect(el.querySelector('[data-testid=calibration-scores]')?.textContent).toContain(
      '120 of 200 closes on 5m so far',
    );
    const rows = [...el.querySelectorAll('[data-testid=calibration-table] tbody tr')].map((r) =>
      [...r.children].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' | '),
    );
    expect(rows[0]).toBe('70–74 | 30 | 45.0% n=20 | 95% CI 25.8–65.8% | −0.10R');
    expect(rows[1]).toBe('75–79 | 3 | — n=0 | — | 0.00R');
    expect(el.querySelector('svg title')?.textContent).toContain('P(TP before SL) 45.0% (9 of 20');
    expect(el.querySelector('.low-sample')).toBeNull(); // 61 closed
  });

  it('says there is nothing to plot rather than drawing an empty chart', async () => {
    const el = await render(makeCalibration([makeBucket(70, 0, 0, 2)]));
    expect(el.querySelector('svg')).toBeNull();
    expect(el.querySelector('[data-testid=reliability-empty]')?.textContent).toContain('2 closed in all');
  });

  it('flags a small sample as anecdotal', async () => {
    const el = await render(makeCalibration([makeBucket(70, 3, 2)]));
    expect(el.querySelector('.low-sample')?.textContent).toContain('Fewer than 30 signals — anecdotal');
  });
});
