/** Beyond this many ascending runs a plain sort is as good as merging them. */
const MAX_RUNS = 64;

/**
 * The permutation that orders `times` ascending, ties in input order: `times[order[0]]` is the
 * earliest. Closes usually arrive as a few ascending runs (a backtest's symbols one after the
 * other), so the runs are merged through a small heap instead of sorted: a comparator sort of a
 * multi-symbol backtest's closes cost a tenth of the backtest itself.
 */
export function closingOrder(times: Float64Array): Int32Array {
  const n = times.length;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || times[i - 1] > times[i]) starts.push(i);
  const order = new Int32Array(n);
  if (starts.length <= 1 || starts.length > MAX_RUNS) {
    for (let i = 0; i < n; i++) order[i] = i;
    return starts.length <= 1 ? order : order.sort((a, b) => times[a] - times[b] || a - b);
  }
  const runs = starts.length;
  const pos = Int32Array.from(starts);
  const end = Int32Array.from(starts, (_, r) => (r + 1 < runs ? starts[r + 1] : n));
  // Run a before run b: earlier head, or the same time and an earlier run (input order).
  const before = (a: number, b: number): boolean => {
    const d = times[pos[a]] - times[pos[b]];
    return d < 0 || (d === 0 && a < b);
  };
  const heap = Int32Array.from(starts, (_, r) => r);
  let size = runs;
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const child = left + 1 < size && before(heap[left + 1], heap[left]) ? left + 1 : left;
      if (!before(heap[child], heap[at])) return;
      const swap = heap[at];
      heap[at] = heap[child];
      heap[child] = swap;
      at = child;
    }
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let k = 0; k < n; k++) {
    const run = heap[0];
    order[k] = pos[run]++;
    if (pos[run] === end[run]) heap[0] = heap[--size];
    siftDown(0);
  }
  return order;
}
