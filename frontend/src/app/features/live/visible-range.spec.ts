import { visibleRange } from './visible-range';

describe('visibleRange', () => {
  const base = {
    count: 1000,
    columns: 4,
    rowHeight: 100,
    gap: 10,
    viewportTop: 0,
    viewportHeight: 800,
    bufferRows: 2,
  };

  it('renders everything while the layout is unknown', () => {
    expect(visibleRange({ ...base, columns: 0 })).toEqual({ start: 0, end: 1000, offset: 0, totalHeight: 0 });
  });

  it('renders the rows in view plus a buffer', () => {
    // rows 0..8 in view (800 px), +2 below
    expect(visibleRange(base)).toEqual({ start: 0, end: 40, offset: 0, totalHeight: 250 * 100 - 10 });
    // scrolled to row 50: rows 48..60
    expect(visibleRange({ ...base, viewportTop: 5000 })).toEqual({
      start: 192,
      end: 240,
      offset: 4800,
      totalHeight: 24990,
    });
  });

  it('clamps at both ends', () => {
    expect(visibleRange({ ...base, viewportTop: -2000 }).start).toBe(0);
    const end = visibleRange({ ...base, viewportTop: 1e6 });
    expect(end.end).toBe(1000);
    expect(end.start).toBe(1000);
  });
});
