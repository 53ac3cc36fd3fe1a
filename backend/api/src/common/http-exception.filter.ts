import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { InvalidEngineConfigError } from '@scanner/signal-core';
import type { Request, Response } from 'express';
import { InvalidRequestError } from './invalid-request.error';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * The one place errors become HTTP answers: domain errors of bad input (InvalidRequestError, an
 * invalid engine config) are 400s naming the problem, 4xx keep their message, anything
 * unexpected is logged with its stack and answered as a bare 500 — never a stack trace or SQL.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request & { id?: string }>();
    if (response.headersSent) return;
    const { status, body } = this.describe(exception);
    // An HttpException ≥ 500 is an answer we chose (readiness 503); only unexpected errors get a stack.
    if (status >= 500 && !(exception instanceof HttpException)) {
      this.logger.error(
        `${request.method} ${request.originalUrl} failed (request ${request.id ?? '-'}): ${(exception as Error)?.message}`,
        (exception as Error)?.stack,
      );
    }
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown> } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const body =
        typeof raw === 'string' ? { statusCode: status, message: raw } : (raw as Record<string, unknown>);
      return { status, body: { statusCode: status, ...body } };
    }
    if (exception instanceof InvalidEngineConfigError) {
      const message = exception.issues.map((issue) => `${issue.field}: ${issue.message}`);
      return { status: 400, body: { statusCode: 400, message, error: 'Bad Request' } };
    }
    if (exception instanceof InvalidRequestError) {
      return { status: 400, body: { statusCode: 400, message: exception.message, error: 'Bad Request' } };
    }
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.parse.failed') {
      return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' } };
    }
    if (parserError?.type === 'entity.too.large') {
      return {
        status: 413,
        body: { statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large' },
      };
    }
    if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return { status: parserError.status, body: { statusCode: parserError.status, message: 'Bad request' } };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    };
  }
}
