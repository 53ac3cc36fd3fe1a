import { ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNAL_DIRECTIONS, type SignalDirection } from '@scanner/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { UtcTimeParam } from '../../common';
import { BINANCE_INTERVALS } from '../../config';

/** Query of `GET /api/signals/stats`. */
export class SignalStatsQueryDto {
  @ApiPropertyOptional({ enum: BINANCE_INTERVALS, example: '5m' })
  @IsOptional()
  @IsIn(BINANCE_INTERVALS, { message: `timeframe must be one of ${BINANCE_INTERVALS.join(', ')}` })
  timeframe?: string;

  @ApiPropertyOptional({ enum: SIGNAL_DIRECTIONS })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(SIGNAL_DIRECTIONS, { message: `direction must be one of ${SIGNAL_DIRECTIONS.join(', ')}` })
  direction?: SignalDirection;

  @ApiPropertyOptional({
    description:
      'ISO-8601: only signals closed at or after this time (market time); a time without offset is read as UTC',
    example: '2024-08-05T00:00:00Z',
  })
  @IsOptional()
  @UtcTimeParam('since')
  since?: string;
}
