import { HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { throwError } from 'rxjs';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { FEED_BATCH_SCHEDULER } from '@app/core/signals/feed-batch-scheduler';
import { SignalsStore } from '@app/core/signals/signals.store';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { FakeSocket } from '@app/testing/fake-socket';
import { makeSignal } from '@app/testing/make-signal';
import { LivePage } from './live.page';

describe('LivePage', () => {
  let fake: FakeSocket;
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    fake = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '', component: LivePage }], withComponentInputBinding()),
        // REST answers are not what these tests are about: every request fails at once (and is shown as such).
        provideHttpClient(
          withInterceptors([(req) => throwError(() => new HttpErrorResponse({ status: 503, url: req.url }))]),
        ),
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as SignalsClientSocket },
        { provide: FEED_BATCH_SCHEDULER, useValue: (flush: () => void) => flush() },
      ],
    });
    harness = await RouterTestingHarness.create();
    TestBed.inject(SignalsStore); // the app shell creates it at start-up
  });

  const symbols = () =>
    [...harness.routeNativeElement!.querySelectorAll('[data-testid=card-symbol]')].map((e) =>
      e.textContent?.trim(),
    );
  const url = () => TestBed.inject(Router).url;

  function feed(): void {
    fake.emitLocal('connect');
    fake.emitLocal('signals.snapshot', {
      seq: 1,
      signals: [
        makeSignal({ id: 'a', symbol: 'ETHUSDT', direction: 'SHORT', confidence: 80 }),
        makeSignal({ id: 'b', symbol: 'BTCUSDT', confidence: 90 }),
        makeSignal({ id: 'c', symbol: 'ADAUSDT', confidence: 71 }),
      ],
    });
  }

  it('says it is waiting, then shows the snapshot sorted by confidence', async () => {
    await harness.navigateByUrl('/', LivePage);
    expect(harness.routeNativeElement?.querySelector('[data-testid=waiting-state]')?.textContent).toContain(
      'Waiting for the live feed',
    );
    feed();
    await harness.fixture.whenStable();
    expect(symbols()).toEqual(['BTCUSDT', 'ETHUSDT', 'ADAUSDT']);
  });

  it('reads filters and sort from the URL', async () => {
    feed();
    await harness.navigateByUrl('/?direction=LONG&sort=symbol', LivePage);
    expect(symbols()).toEqual(['ADAUSDT', 'BTCUSDT']);
  });

  it('writes filter changes to the URL, which changes the grid', async () => {
    feed();
    await harness.navigateByUrl('/', LivePage);
    (harness.routeNativeElement!.querySelector('[data-testid=direction-SHORT]') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    expect(url()).toBe('/?direction=SHORT');
    expect(symbols()).toEqual(['ETHUSDT']);
    const sort = harness.routeNativeElement!.querySelector('[data-testid=sort]') as HTMLSelectElement;
    sort.value = 'symbol';
    sort.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    expect(url()).toBe('/?direction=SHORT&sort=symbol');
  });

  it('applies live events without reload and says when nothing matches', async () => {
    feed();
    await harness.navigateByUrl('/?minConfidence=95', LivePage);
    expect(harness.routeNativeElement?.querySelector('[data-testid=empty-state]')?.textContent).toContain(
      'None of the 3 active signals match',
    );
    fake.emitLocal('signal.updated', {
      seq: 2,
      signal: makeSignal({ id: 'c', symbol: 'ADAUSDT', confidence: 96, version: 2 }),
    });
    await harness.fixture.whenStable();
    expect(symbols()).toEqual(['ADAUSDT']);
  });
});
