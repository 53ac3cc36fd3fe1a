import type { ArgumentsHost } from '@nestjs/common';
import { InvalidEngineConfigError } from '@scanner/signal-core';
import { HttpExceptionFilter } from './http-exception.filter';
import { InvalidRequestError } from './invalid-request.error';

function answer(exception: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => response,
      getRequest: () => ({ method: 'GET', originalUrl: '/x' }),
    }),
  };
  new HttpExceptionFilter().catch(exception, host as unknown as ArgumentsHost);
  return sent;
}

describe('HttpExceptionFilter', () => {
  it('answers a domain error of bad input with 400 and its message', () => {
    expect(answer(new InvalidRequestError('cursor is not valid'))).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'cursor is not valid' },
    });
  });

  it('answers an invalid engine config with 400 naming each bad field', () => {
    const error = new InvalidEngineConfigError([
      { field: 'minConfidence', message: 'must be between 0 and 100' },
      { field: 'expiryCandles', message: 'must be a positive integer' },
    ]);
    expect(answer(error)).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: ['minConfidence: must be between 0 and 100', 'expiryCandles: must be a positive integer'],
      },
    });
  });
});
