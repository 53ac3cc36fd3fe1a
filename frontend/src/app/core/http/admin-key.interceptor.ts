import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { AdminKeyService } from '@app/core/admin/admin-key.service';

const ADMIN_PATH = /^(https?:\/\/[^/]+)?\/api\/admin(\/|$|\?)/;

/** Sends the admin key as X-API-Key, and only to /api/admin — never to other endpoints or hosts. */
export const adminKeyInterceptor: HttpInterceptorFn = (request, next) => {
  const key = inject(AdminKeyService).key();
  if (!key || !ADMIN_PATH.test(request.url) || !isSameOrigin(request.url)) return next(request);
  return next(request.clone({ setHeaders: { 'X-API-Key': key } }));
};

function isSameOrigin(url: string): boolean {
  if (url.startsWith('/')) return true;
  return typeof location !== 'undefined' && new URL(url).origin === location.origin;
}
