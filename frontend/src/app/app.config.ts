import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withNavigationErrorHandler } from '@angular/router';
import { adminKeyInterceptor } from '@app/core/http/admin-key.interceptor';
import { chunkRetryHandler } from '@app/core/routing/chunk-retry';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding(), withNavigationErrorHandler(chunkRetryHandler())),
    provideHttpClient(withFetch(), withInterceptors([adminKeyInterceptor])),
  ],
};
