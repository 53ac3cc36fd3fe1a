import {
  HttpErrorResponse,
  HttpRequest,
  HttpResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MarketSymbol, Replay, ReplayRequest, ScoringVersion } from '@scanner/contracts';
import { of, throwError } from 'rxjs';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { SOCKET_FACTORY, type SignalsClientSocket } from '@app/core/socket/socket-factory';
import { FakeSocket } from '@app/testing/fake-socket';
import { makeReplay } from '@app/testing/make-replay';
import { ResearchPage } from './research.page';

describe('ResearchPage', () => {
  let fixture: ComponentFixture<ResearchPage>;
  let socket: FakeSocket;
  let requests: HttpRequest<unknown>[];
  let versions: ScoringVersion[];
  let replays: Replay[];
  let listStatus: number;

  const symbols = [
    { symbol: 'BTCUSDT', freshness: { '5m': { lastClosedOpenTime: '2024-08-05T10:00:00.000Z' } } },
    { symbol: 'ETHUSDT', freshness: { '5m': { lastClosedOpenTime: '2024-08-05T10:00:00.000Z' } } },
  ] as unknown as MarketSymbol[];

  function backend(req: HttpRequest<unknown>) {
    requests.push(req);
    const ok = (body: unknown, status = 200) => of(new HttpResponse({ status, body }));
    if (req.url === '/api/market/symbols') return ok(symbols);
    if (req.url === '/api/admin/scoring-versions') return ok(versions);
    if (req.url === '/api/admin/replays' && req.method === 'GET') {
      if (listStatus !== 200)
        return throwError(() => new HttpErrorResponse({ status: listStatus, url: req.url }));
      return ok(replays);
    }
    if (req.url === '/api/admin/replays' && req.method === 'POST') {
      const replay = makeReplay({
        id: 7,
        status: 'queued',
        request: req.body as ReplayRequest,
        progress: { id: 7, status: 'queued', seriesDone: 0, seriesTotal: 2, candles: 0 },
        result: null,
        startedAt: null,
        finishedAt: null,
      });
      replays = [replay, ...replays];
      return ok(replay, 202);
    }
    const one = /^\/api\/admin\/replays\/(\d+)$/.exec(req.url);
    if (one && req.method === 'GET') return ok(replays.find((r) => r.id === Number(one[1])));
    if (one && req.method === 'DELETE') {
      const id = Number(one[1]);
      replays = replays.map((r) => (r.id === id ? { ...r, status: 'cancelled' } : r));
      return ok({ id, cancelled: true, deleted: false });
    }
    throw new Error(`unexpected request ${req.method} ${req.url}`);
  }

  const el = () => fixture.nativeElement as HTMLElement;
  const q = (testid: string) => el().querySelector(`[data-testid=${testid}]`) as HTMLElement | null;
  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      fixture.detectChanges();
      await fixture.whenStable();
    }
  }

  async function open(key: string | null): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([(req) => backend(req)])),
        provideRouter([]),
        { provide: SOCKET_FACTORY, useValue: () => socket as unknown as SignalsClientSocket },
      ],
    });
    if (key !== null) TestBed.inject(AdminKeyService).set(key);
    else TestBed.inject(AdminKeyService).clear();
    fixture = TestBed.createComponent(ResearchPage);
    await settle();
  }

  beforeEach(() => {
    socket = new FakeSocket();
    requests = [];
    listStatus = 200;
    versions = [1, 2].map(
      (id) => ({ id, active: id === 1, note: id === 2 ? 'looser' : '', config: {} }) as ScoringVersion,
    );
    replays = [makeReplay({ id: 3 })];
  });

  afterEach(() => {
    TestBed.inject(AdminKeyService).clear();
    jest.restoreAllMocks();
  });

  it('asks for the admin key first and loads nothing from the admin API without it', async () => {
    await open(null);
    expect(q('research-admin-key')).not.toBeNull();
    expect(requests.filter((r) => r.url.startsWith('/api/admin'))).toEqual([]);
  });

  it('starts a replay from the form and follows its progress from the socket to the result', async () => {
    await open('k');
    expect((q('replay-symbols') as HTMLTextAreaElement).value).toBe('BTCUSDT, ETHUSDT');
    q('replay-start')!.click();
    await settle();
    const post = requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframes: ['5m'],
      from: '2024-07-29T10:00:00.000Z',
      to: '2024-08-05T10:00:00.000Z',
      versionA: 1,
      versionB: 2,
    });
    expect(q('replay-progress')!.getAttribute('aria-valuenow')).toBe('0');
    expect(q('replay-progress-text')!.textContent).toContain('Queued');

    socket.emitLocal('replay.progress', {
      id: 7,
      status: 'running',
      seriesDone: 1,
      seriesTotal: 2,
      candles: 900,
    });
    await settle();
    expect(q('replay-progress')!.getAttribute('aria-valuenow')).toBe('50');
    expect(q('replay-progress-text')!.textContent).toContain('Running: 1 of 2 series, 900 candles read.');
    expect(q('replay-detail-cancel')).not.toBeNull();

    // Done: the page reads the replay again and shows both result sets.
    replays = replays.map((r) =>
      r.id === 7 ? makeReplay({ ...r, status: 'done', result: makeReplay().result }) : r,
    );
    socket.emitLocal('replay.progress', {
      id: 7,
      status: 'done',
      seriesDone: 2,
      seriesTotal: 2,
      candles: 1800,
    });
    await settle();
    expect(q('replay-progress')!.getAttribute('aria-valuenow')).toBe('100');
    expect(q('comparison-table')).not.toBeNull();
    expect(q('replay-detail-cancel')).toBeNull();
  });

  it('names the problems instead of sending a bad request', async () => {
    await open('k');
    const symbolsBox = q('replay-symbols') as HTMLTextAreaElement;
    symbolsBox.value = '';
    symbolsBox.dispatchEvent(new Event('input'));
    await settle();
    q('replay-start')!.click();
    await settle();
    expect(q('replay-problems')!.textContent).toContain('Symbols: enter at least one');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('cancels a running replay from the list', async () => {
    replays = [
      makeReplay({
        id: 5,
        status: 'running',
        result: null,
        progress: { id: 5, status: 'running', seriesDone: 1, seriesTotal: 4, candles: 10 },
      }),
    ];
    await open('k');
    q('replay-cancel')!.click();
    await settle();
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/api/admin/replays/5']);
    expect(q('research-outcome')!.textContent).toContain('Replay 5: cancel asked');
    expect(el().querySelector('[data-testid=replay-row]')!.getAttribute('data-status')).toBe('cancelled');
  });

  it('says what is missing: a second scoring version, or a usable key', async () => {
    versions = versions.slice(0, 1);
    listStatus = 401;
    await open('wrong');
    expect(q('too-few-versions')!.textContent).toContain('Only 1 scoring version exists');
    expect(q('replays-error')!.textContent).toContain('The admin key was rejected (401 Unauthorized)');
  });
});
