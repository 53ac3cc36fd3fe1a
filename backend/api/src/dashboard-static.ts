import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const API_PATHS = /^\/(api|socket\.io|metrics)(\/|$)/;

/** Where the built dashboard is, relative to this compiled file (backend/api/dist → frontend/dist). */
export function defaultDashboardDir(): string {
  return path.resolve(__dirname, '..', '..', '..', 'frontend', 'dist', 'browser');
}

/** Serves the Angular build, with index.html for client-side routes (not for API paths). */
export function serveDashboard(app: NestExpressApplication, directory: string): void {
  const logger = new Logger('Dashboard');
  const index = path.join(directory, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`no dashboard build at ${directory}: run "npm run build" (or set DASHBOARD_DIR)`);
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || API_PATHS.test(request.path)) return next();
      response
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built. Run "npm run build", then restart.\n');
    });
    return;
  }
  app.useStaticAssets(directory, { index: false, maxAge: '1h', setHeaders: noCacheForHtml });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || API_PATHS.test(request.path) || path.extname(request.path) !== '')
      return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

function noCacheForHtml(response: Response, file: string): void {
  if (file.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
