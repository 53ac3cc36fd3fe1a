import { parsePauseSetting } from './scanner-pause.service';

describe('parsePauseSetting', () => {
  it('reads what the pause endpoints store, with its start time', () => {
    expect(parsePauseSetting({ paused: true, since: '2026-01-01T00:00:00.000Z' })).toEqual({
      paused: true,
      since: '2026-01-01T00:00:00.000Z',
    });
    expect(parsePauseSetting({ paused: false, since: null })).toEqual({ paused: false, since: null });
  });

  it('accepts the flags an operator writes by hand: true, "true", { value: true }', () => {
    for (const stored of [true, 'true', { value: true }])
      expect(parsePauseSetting(stored)).toEqual({ paused: true, since: null });
  });

  it('is not paused when nothing, or anything else, is stored', () => {
    for (const stored of [undefined, null, false, 'yes', 1, [], { paused: 'true' }]) {
      expect(parsePauseSetting(stored)).toEqual({ paused: false, since: null });
    }
  });
});
