import { HttpErrorResponse } from '@angular/common/http';
import { describeAdminError } from './admin.store';
import { readAdminStatus } from './admin-status';

describe('admin status', () => {
  it('reads last scans, request weight and queue counts when present', () => {
    const view = readAdminStatus({
      lastScans: [{ startedAt: '2024-08-05T10:00:00Z', durationMs: 1200, symbols: 34, errors: 0 }],
      requestWeight: { used: 120, limit: 6000 },
      queues: { scanner: { waiting: 1, active: 2, failed: 0, name: 'x' } },
    });
    expect(view).toEqual({
      lastScans: [{ startedAt: '2024-08-05T10:00:00Z', durationMs: 1200, symbols: 34, errors: 0 }],
      weight: { used: 120, limit: 6000 },
      queues: { scanner: { waiting: 1, active: 2, failed: 0 } },
    });
  });

  it('reads the weight as the backend reports it (usedThisMinute)', () => {
    expect(readAdminStatus({ weight: { usedThisMinute: 400, limit: 5400 } }).weight).toEqual({
      used: 400,
      limit: 5400,
    });
  });

  it('copes with an unknown shape', () => {
    expect(readAdminStatus('nope')).toEqual({ lastScans: [], weight: null, queues: {} });
  });

  it('explains a 401 in words', () => {
    expect(describeAdminError(new HttpErrorResponse({ status: 401 }))).toMatch(
      /admin key was rejected \(401/,
    );
  });
});
