import { HttpErrorResponse, HttpResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { HealthReport } from '@scanner/contracts';
import { of, throwError } from 'rxjs';
import { FEED_BATCH_SCHEDULER } from '@app/core/signals/feed-batch-scheduler';
import { SignalsStore } from '@app/core/signals/signals.store';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { FakeSocket } from '@app/testing/fake-socket';
import { exchangeProblem } from './exchange-reachability';
import { LivePage } from './live.page';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ENOTFOUND = 'klines BTCUSDT 5m: getaddrinfo ENOTFOUND api.binance.com';

function report(exchange: Record<string, unknown> & { status: 'up' | 'down' }): HealthReport {
  return {
    status: exchange.status === 'up' ? 'ok' : 'error',
    details: { database: { status: 'up' }, exchange },
  };
}

describe('exchangeProblem', () => {
  it('is a problem when no request has succeeded since start and the last one failed', () => {
    const r = report({ status: 'up', reachable: false, lastSuccessAt: null, lastError: ENOTFOUND });
    expect(exchangeProblem(r, NOW)).toEqual({ lastError: ENOTFOUND, lastSuccessAt: null });
  });

  it('is a problem when readiness says the exchange is down, however recent the last success', () => {
    const r = report({
      status: 'down',
      reachable: false,
      lastSuccessAt: '2026-01-10T11:59:50Z',
      lastError: 'ECONNRESET',
    });
    expect(exchangeProblem(r, NOW)?.lastError).toBe('ECONNRESET');
  });

  it('ignores a failure right after a success (a blip) and a failure over a minute later is one', () => {
    const r = report({
      status: 'up',
      reachable: false,
      lastSuccessAt: '2026-01-10T11:59:30Z',
      lastError: 'x',
    });
    expect(exchangeProblem(r, NOW)).toBeNull();
    expect(exchangeProblem(r, NOW + 31_000)).toEqual({
      lastError: 'x',
      lastSuccessAt: '2026-01-10T11:59:30Z',
    });
  });

  it('is no problem while reachable, unknown, or without a report', () => {
    expect(exchangeProblem(report({ status: 'up', reachable: true, lastError: null }), NOW)).toBeNull();
    expect(exchangeProblem(report({ status: 'up', reachable: null }), NOW)).toBeNull();
    expect(exchangeProblem(null, NOW)).toBeNull();
  });
});

describe('LivePage while the exchange is unreachable', () => {
  let fake: FakeSocket;
  let ready: HealthReport | null;

  beforeEach(() => {
    fake = new FakeSocket();
    ready = report({ status: 'up', reachable: false, lastSuccessAt: null, lastError: ENOTFOUND });
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '', component: LivePage }], withComponentInputBinding()),
        provideHttpClient(
          withInterceptors([
            (req) =>
              req.url === '/api/health/ready' && ready
                ? ready.status === 'ok'
                  ? of(new HttpResponse({ status: 200, body: ready }))
                  : throwError(() => new HttpErrorResponse({ status: 503, url: req.url, error: ready }))
                : throwError(() => new HttpErrorResponse({ status: 503, url: req.url })),
          ]),
        ),
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as SignalsClientSocket },
        { provide: FEED_BATCH_SCHEDULER, useValue: (flush: () => void) => flush() },
      ],
    });
    TestBed.inject(SignalsStore);
  });

  async function open(): Promise<HTMLElement> {
    const harness = await RouterTestingHarness.create();
    fake.emitLocal('connect');
    fake.emitLocal('signals.snapshot', { seq: 1, signals: [] });
    await harness.navigateByUrl('/', LivePage);
    await harness.fixture.whenStable();
    return harness.routeNativeElement as HTMLElement;
  }
  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  it('says what is wrong and what to do instead of "no active signals right now"', async () => {
    const page = await open();
    const banner = text(page.querySelector('[data-testid=exchange-down]'));
    expect(banner).toContain('The scanner cannot reach Binance');
    expect(banner).toContain(ENOTFOUND);
    expect(banner).toContain('No request has succeeded since the server started');
    expect(banner).toContain('check this machine');
    expect(banner).toContain('npm run demo');
    const empty = text(page.querySelector('[data-testid=empty-state]'));
    expect(empty).toContain('without answers from Binance');
    expect(empty).not.toContain('No active signals right now');
  });

  it('says nothing about the exchange while it answers', async () => {
    ready = report({ status: 'up', reachable: true, lastSuccessAt: '2026-01-10T11:59:59Z', lastError: null });
    const page = await open();
    expect(page.querySelector('[data-testid=exchange-down]')).toBeNull();
    expect(text(page.querySelector('[data-testid=empty-state]'))).toContain('No active signals right now');
  });
});
