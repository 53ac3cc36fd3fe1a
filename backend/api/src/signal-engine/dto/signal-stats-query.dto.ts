import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  SIGNAL_DIRECTIONS,
  SIGNAL_ORIGINS,
  type OriginFilter,
  type SignalDirection,
} from '@scanner/contracts';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UtcTimeParam } from '../../common';
import { BINANCE_INTERVALS } from '../../config';

export const ORIGIN_FILTERS: readonly OriginFilter[] = [...SIGNAL_ORIGINS, 'all'];

/** Query of `GET /api/signals/stats`, `/calibration` and `/ablation`. */
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

  @ApiPropertyOptional({
    enum: ORIGIN_FILTERS,
    default: 'all',
    description:
      'live: signals created from a candle that closed while the scanner ran; replay: from stored history; all: both',
  })
  @IsOptional()
  @IsIn(ORIGIN_FILTERS, { message: `origin must be one of ${ORIGIN_FILTERS.join(', ')}` })
  origin?: OriginFilter;

  @ApiPropertyOptional({
    minimum: 1,
    description:
      'Only signals created by this scoring version (GET /api/admin/scoring-versions); all when absent',
    example: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'scoringVersion must be a whole number from 1 (a scoring version id)' })
  @Min(1, { message: 'scoringVersion must be a whole number from 1 (a scoring version id)' })
  @Max(2_147_483_647, { message: 'scoringVersion must be a whole number from 1 (a scoring version id)' })
  scoringVersion?: number;
}
