export interface RangeInput {
  count: number;
  /** 0 = unknown layout: everything is rendered. */
  columns: number;
  /** Row pitch (card height + gap) in px. */
  rowHeight: number;
  gap: number;
  /** Viewport top relative to the grid's top (negative when the grid starts below the fold). */
  viewportTop: number;
  viewportHeight: number;
  bufferRows: number;
}

export interface VisibleRange {
  start: number;
  end: number;
  /** Translation of the rendered rows, px. */
  offset: number;
  totalHeight: number;
}

/** Which items of a fixed-row-height grid to render for the current scroll position. */
export function visibleRange(r: RangeInput): VisibleRange {
  if (r.columns <= 0 || r.rowHeight <= 0) return { start: 0, end: r.count, offset: 0, totalHeight: 0 };
  const rows = Math.ceil(r.count / r.columns);
  const totalHeight = Math.max(0, rows * r.rowHeight - r.gap);
  const height = Math.max(r.viewportHeight, r.rowHeight);
  const firstRow = Math.max(0, Math.min(rows, Math.floor(r.viewportTop / r.rowHeight) - r.bufferRows));
  const lastRow = Math.max(
    firstRow,
    Math.min(rows, Math.ceil((r.viewportTop + height) / r.rowHeight) + r.bufferRows),
  );
  return {
    start: firstRow * r.columns,
    end: Math.min(r.count, lastRow * r.columns),
    offset: firstRow * r.rowHeight,
    totalHeight,
  };
}
