import type { NextFunction, Request, Response } from 'express';
import { createHmac } from 'node:crypto';
import { ADMIN_KEY_HEADER, secretsEqual } from '../../common';

export const SESSION_COOKIE = 'scanner_admin';
const SESSION_SECONDS = 8 * 3600;

/** The cookie value that stands for the key: an HMAC of the key (rotating the key ends every session). */
export function sessionToken(key: string): string {
  return createHmac('sha256', key).update('scanner-admin-session').digest('hex');
}

function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [rawName, ...rest] = part.trim().split('=');
    if (rawName === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function loginPage(basePath: string, failed: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Queue dashboard · sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;background:#0b1220;color:#e5e7eb;display:grid;place-items:center;height:100vh;margin:0}
form{background:#111a2e;padding:2rem;border-radius:.75rem;border:1px solid #1f2a44;display:grid;gap:.75rem;min-width:18rem}
input,button{font:inherit;padding:.5rem .75rem;border-radius:.4rem;border:1px solid #1f2a44}button{background:#22c55e;color:#0b1220;border:0;cursor:pointer}
.error{color:#f87171;margin:0}</style></head><body>
<form method="post" action="${basePath}/login"><h1 style="margin:0;font-size:1.2rem">Queue dashboard</h1>
<label for="key">Admin API key</label><input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
${failed ? '<p class="error" role="alert">That key is not valid.</p>' : ''}<button type="submit">Sign in</button></form></body></html>`;
}

/**
 * Guards a browser UI with the admin key: the `X-API-Key` header (scripts), or a session cookie set by
 * a small sign-in form (browsers). Without ADMIN_API_KEY the UI is disabled, never open.
 */
export function adminBrowserAuth(adminKey: string | null, basePath: string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (adminKey === null) {
      response
        .status(403)
        .json({ statusCode: 403, message: 'Admin API is disabled: set ADMIN_API_KEY to enable it' });
      return;
    }
    const header = request.headers[ADMIN_KEY_HEADER];
    if (typeof header === 'string' && header !== '') {
      if (secretsEqual(header, adminKey)) return next();
      response.status(401).json({ statusCode: 401, message: 'Invalid X-API-Key' });
      return;
    }
    const cookie = cookieValue(request, SESSION_COOKIE);
    if (cookie !== null && secretsEqual(cookie, sessionToken(adminKey))) return next();
    const path = request.originalUrl.split('?')[0].replace(/\/+$/, '');
    if (request.method === 'POST' && path === `${basePath}/login`) {
      const given = (request.body as { key?: unknown } | undefined)?.key;
      if (typeof given === 'string' && secretsEqual(given, adminKey)) {
        response.cookie(SESSION_COOKIE, sessionToken(adminKey), {
          httpOnly: true,
          sameSite: 'strict',
          path: '/api/admin',
          maxAge: SESSION_SECONDS * 1000,
          secure: request.secure,
        });
        response.redirect(303, `${basePath}/`);
        return;
      }
      response.status(401).type('html').send(loginPage(basePath, true));
      return;
    }
    if (request.method === 'GET' && request.accepts(['html', 'json']) === 'html') {
      response.status(401).type('html').send(loginPage(basePath, false));
      return;
    }
    response.status(401).json({ statusCode: 401, message: 'Missing X-API-Key header' });
  };
}
