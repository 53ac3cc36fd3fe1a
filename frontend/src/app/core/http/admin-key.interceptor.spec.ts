import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { adminKeyInterceptor } from './admin-key.interceptor';

describe('adminKeyInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([adminKeyInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  it('sends X-API-Key to /api/admin only, once a key is set (kept in sessionStorage)', () => {
    TestBed.inject(AdminKeyService).set(' secret ');
    expect(sessionStorage.getItem('scanner.adminKey')).toBe('secret');
    http.get('/api/admin/status').subscribe();
    http.post('/api/admin/scan', {}).subscribe();
    http.get('/api/signals').subscribe();
    http.get('/api/administrator').subscribe();
    http.get('https://evil.example/api/admin/status').subscribe();
    expect(backend.expectOne('/api/admin/status').request.headers.get('X-API-Key')).toBe('secret');
    expect(backend.expectOne('/api/admin/scan').request.headers.get('X-API-Key')).toBe('secret');
    expect(backend.expectOne('/api/signals').request.headers.has('X-API-Key')).toBe(false);
    expect(backend.expectOne('/api/administrator').request.headers.has('X-API-Key')).toBe(false);
    expect(backend.expectOne('https://evil.example/api/admin/status').request.headers.has('X-API-Key')).toBe(
      false,
    );
  });

  it('sends nothing without a key, and forgets the key on clear', () => {
    const keys = TestBed.inject(AdminKeyService);
    keys.set('k');
    keys.clear();
    expect(sessionStorage.getItem('scanner.adminKey')).toBeNull();
    http.get('/api/admin/status').subscribe();
    expect(backend.expectOne('/api/admin/status').request.headers.has('X-API-Key')).toBe(false);
  });
});
