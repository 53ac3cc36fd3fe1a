import { HttpRequest, HttpResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ScoringVersion } from '@scanner/contracts';
import { of } from 'rxjs';
import { makeScoringConfig } from '@app/testing/make-scoring-config';
import { ScoringVersionsComponent } from './scoring-versions.component';

describe('ScoringVersionsComponent', () => {
  let fixture: ComponentFixture<ScoringVersionsComponent>;
  let requests: HttpRequest<unknown>[];
  let active: number;

  function versions(): ScoringVersion[] {
    return [1, 2].map((id) => ({
      id,
      config: makeScoringConfig(id === 1 ? 70 : 65),
      note: id === 1 ? 'the defaults' : 'looser',
      active: id === active,
      createdAt: `2024-08-0${id}T10:00:00.000Z`,
      activatedAt: null,
    }));
  }

  function backend(req: HttpRequest<unknown>) {
    requests.push(req);
    const ok = (body: unknown) => of(new HttpResponse({ status: 200, body }));
    if (req.method === 'POST' && req.url === '/api/admin/scoring-versions/1/activate') {
      active = 1;
      return ok(versions()[0]);
    }
    if (req.url === '/api/admin/scoring-versions') return ok(versions());
    if (req.url === '/api/admin/scoring-versions/1')
      return ok({ ...versions()[0], changesFromActive: [{ path: 'minConfidence', from: 65, to: 70 }] });
    throw new Error(`unexpected request ${req.method} ${req.url}`);
  }

  const text = (selector: string) =>
    [...(fixture.nativeElement as HTMLElement).querySelectorAll(selector)].map((e) =>
      e.textContent!.replace(/\s+/g, ' ').trim(),
    );
  const click = async (selector: string, index = 0) => {
    ((fixture.nativeElement as HTMLElement).querySelectorAll(selector)[index] as HTMLElement).click();
    await settle();
  };
  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      fixture.detectChanges();
      await fixture.whenStable();
    }
  }

  beforeEach(async () => {
    requests = [];
    active = 2;
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([(req) => backend(req)]))],
    });
    fixture = TestBed.createComponent(ScoringVersionsComponent);
    await settle();
  });

  afterEach(() => jest.restoreAllMocks());

  it('lists the versions newest first with the active one marked', () => {
    expect(text('[data-testid=scoring-version] strong')).toEqual(['v2', 'v1']);
    const marked = (fixture.nativeElement as HTMLElement).querySelectorAll(
      '[data-testid=scoring-version-active]',
    );
    expect(marked).toHaveLength(1);
    expect(marked[0].closest('[data-testid=scoring-version]')!.getAttribute('data-id')).toBe('2');
    // Only the inactive one can be activated.
    expect(text('[data-testid=scoring-version-activate]')).toEqual(['Activate']);
  });

  it('shows what a version changes against the active one', async () => {
    await click('[data-testid=scoring-version-diff]', 1);
    expect(text('[data-testid=scoring-version-changes] li')).toEqual(['minConfidence: 65 → 70']);
  });

  it('activates only after the confirm says yes', async () => {
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    await click('[data-testid=scoring-version-activate]');
    expect(confirm).toHaveBeenCalledWith(
      expect.stringContaining('Activate scoring version 1 (replacing version 2)?'),
    );
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    confirm.mockReturnValue(true);
    await click('[data-testid=scoring-version-activate]');
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/api/admin/scoring-versions/1/activate',
    ]);
    expect(text('[data-testid=scoring-version-result]')).toEqual(['Scoring version 1 is active.']);
    const marked = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid=scoring-version-active]',
    );
    expect(marked!.closest('[data-testid=scoring-version]')!.getAttribute('data-id')).toBe('1');
  });
});
