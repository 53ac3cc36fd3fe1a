import type { ReplayProgress } from '@scanner/contracts';
import { changedProgress } from './replay-progress.gateway';

const progress = (id: number, seriesDone: number, status: ReplayProgress['status'] = 'running') => ({
  id,
  status,
  seriesDone,
  seriesTotal: 4,
  candles: seriesDone * 100,
});

describe('replay progress over the socket', () => {
  it('sends a replay when it changes, not again while it does not, and forgets it once gone', () => {
    const sent = new Map<number, string>();
    expect(changedProgress(sent, [progress(1, 0), progress(2, 1)]).map((p) => p.id)).toEqual([1, 2]);
    expect(changedProgress(sent, [progress(1, 0), progress(2, 2)])).toEqual([progress(2, 2)]);
    expect(changedProgress(sent, [progress(1, 4, 'done')])).toEqual([progress(1, 4, 'done')]);
    expect([...sent.keys()]).toEqual([1]);
    expect(changedProgress(sent, [])).toEqual([]);
    expect(sent.size).toBe(0);
  });
});
