import { BadRequestException } from '@nestjs/common';
import { parseCreateBody, parseVersionId } from './scoring-versions.controller';

describe('scoring versions admin: request shapes', () => {
  it('takes a version id from 1 and names a bad one', () => {
    expect(parseVersionId('1')).toBe(1);
    expect(parseVersionId('42')).toBe(42);
    for (const bad of ['0', '-1', '1.5', 'abc', '01', '', '99999999999'])
      expect(() => parseVersionId(bad)).toThrow(/id must be a scoring version number/);
  });

  it('takes config, note and activate, and says which part of the body is wrong', () => {
    expect(parseCreateBody({ config: { minConfidence: 75 } })).toEqual({
      config: { minConfidence: 75 },
      note: '',
      activate: false,
    });
    expect(parseCreateBody({ config: {}, note: 'n', activate: true })).toEqual({
      config: {},
      note: 'n',
      activate: true,
    });
    const cases: [unknown, RegExp][] = [
      [null, /JSON object/],
      [[1], /JSON object/],
      [{}, /config must be a JSON object/],
      [{ config: [] }, /config must be a JSON object/],
      [{ config: {}, note: 5 }, /note must be a string/],
      [{ config: {}, note: 'x'.repeat(501) }, /at most 500/],
      [{ config: {}, activate: 'yes' }, /activate must be true or false/],
      [{ config: {}, extra: 1 }, /unknown field\(s\) "extra"/],
    ];
    for (const [body, message] of cases) {
      expect(() => parseCreateBody(body)).toThrow(BadRequestException);
      expect(() => parseCreateBody(body)).toThrow(message);
    }
  });
});
