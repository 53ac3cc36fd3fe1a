import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Records each HTTP request's duration under its route pattern (not the raw URL: bounded labels). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const stop = this.metrics.httpRequestDuration.startTimer({ method: request.method });
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    response.once('finish', () => stop({ route, status: String(response.statusCode) }));
    return next.handle().pipe(tap({ error: () => undefined }));
  }
}
