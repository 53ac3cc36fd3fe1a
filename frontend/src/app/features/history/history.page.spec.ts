import {
  HttpErrorResponse,
  HttpRequest,
  HttpResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { of, throwError } from 'rxjs';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { FEED_BATCH_SCHEDULER } from '@app/core/signals/feed-batch-scheduler';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { FakeSocket } from '@app/testing/fake-socket';
import {
  makeAblation,
  makeBucket,
  makeCalibration,
  makeOutcomeStats,
  makeStats,
} from '@app/testing/make-quality';
import { makeSignal } from '@app/testing/make-signal';
import { HistoryPage } from './history.page';

describe('HistoryPage', () => {
  let harness: RouterTestingHarness;
  let requests: HttpRequest<unknown>[];
  let calibrationFails: boolean;

  /** The API's answers, at once (the figures are not what these tests are about, the requests are). */
  function backend(req: HttpRequest<unknown>) {
    requests.push(req);
    const origin = (req.params.get('origin') ?? 'all') as 'live' | 'replay' | 'all';
    const ok = (body: unknown) => of(new HttpResponse({ status: 200, body }));
    switch (req.url) {
      case '/api/signals/stats':
        return ok(
          makeStats(
            makeOutcomeStats({ TP_HIT: 9, SL_HIT: 11, EXPIRED: 10 }, { net: -3, gross: 1.5 }),
            origin,
          ),
        );
      case '/api/signals/calibration':
        return calibrationFails
          ? throwError(
              () =>
                new HttpErrorResponse({
                  status: 400,
                  url: req.url,
                  error: { message: 'origin must be live, replay or all' },
                }),
            )
          : ok(makeCalibration([makeBucket(70, 9, 11, 10)]));
      case '/api/signals/ablation':
        return ok(makeAblation(30));
      case '/api/signals':
        return ok({
          items: [
            makeSignal({ status: 'SL_HIT', closedAt: '2024-08-05T11:00:00Z', outcomeR: -1, netR: -1.1 }),
          ],
          nextCursor: null,
        });
      default:
        return ok([]);
    }
  }

  beforeEach(async () => {
    requests = [];
    calibrationFails = false;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'history', component: HistoryPage }], withComponentInputBinding()),
        provideHttpClient(withInterceptors([(req) => backend(req)])),
        { provide: SOCKET_FACTORY, useValue: () => new FakeSocket() as unknown as SignalsClientSocket },
        { provide: FEED_BATCH_SCHEDULER, useValue: (flush: () => void) => flush() },
      ],
    });
    harness = await RouterTestingHarness.create();
  });

  const page = () => harness.routeNativeElement as HTMLElement;
  /** The origin each quality endpoint and the list were last asked for. */
  const asked = () =>
    Object.fromEntries(
      ['/api/signals/stats', '/api/signals/calibration', '/api/signals/ablation', '/api/signals'].map(
        (url) => [
          url,
          requests
            .filter((r) => r.url === url)
            .at(-1)
            ?.params.get('origin') ?? null,
        ],
      ),
    );

  it('shows live-only figures by default: net expectancy, reliability chart and ablation table', async () => {
    await harness.navigateByUrl('/history', HistoryPage);
    await harness.fixture.whenStable();
    expect(asked()).toEqual({
      '/api/signals/stats': 'live',
      '/api/signals/calibration': 'live',
      '/api/signals/ablation': 'live',
      '/api/signals': 'live',
    });
    expect(page().querySelector('[data-testid=origin-live]')?.getAttribute('aria-pressed')).toBe('true');
    expect(page().querySelector('[data-testid=origin-note]')?.textContent).toContain('live signals only');
    expect(page().querySelector('[data-testid=expectancy-net]')?.textContent?.trim()).toBe('−0.10R');
    expect(page().querySelectorAll('[data-testid=reliability-point]')).toHaveLength(1);
    expect(page().querySelectorAll('[data-testid=ablation-row]')).toHaveLength(8);
    expect(page().querySelector('[data-testid=cumulative-r]')?.getAttribute('aria-label')).toContain(
      'ending at −1.10R',
    );
  });

  it('switches every figure to replayed history, or to all, with one click', async () => {
    await harness.navigateByUrl('/history', HistoryPage);
    (page().querySelector('[data-testid=origin-replay]') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/history?origin=replay');
    expect(Object.values(asked())).toEqual(['replay', 'replay', 'replay', 'replay']);
    expect(page().querySelector('[data-testid=origin-replay]')?.getAttribute('aria-pressed')).toBe('true');
    (page().querySelector('[data-testid=origin-all]') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    // "all" is explicit for the figures; the list is simply not filtered.
    expect(Object.values(asked())).toEqual(['all', 'all', 'all', null]);
    expect(page().querySelector('[data-testid=origin-note]')?.textContent).toContain(
      'live and replayed signals',
    );
  });

  it('says what failed instead of showing a chart', async () => {
    calibrationFails = true;
    await harness.navigateByUrl('/history', HistoryPage);
    await harness.fixture.whenStable();
    expect(page().querySelector('[data-testid=reliability-chart]')).toBeNull();
    expect(page().textContent).toContain(
      'Loading the calibration report failed: HTTP 400 — origin must be live, replay or all.',
    );
  });
});
