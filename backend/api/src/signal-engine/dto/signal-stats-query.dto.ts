import { ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNAL_DIRECTIONS, type SignalDirection } from '@scanner/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { BINANCE_INTERVALS } from '../../config/app-config';

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

  @ApiPropertyOptional({ description: 'ISO-8601: only signals closed at or after this time (market time)', example: '2024-08-05T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO-8601 date-time such as 2024-08-05T00:00:00Z' })
  since?: string;
}
