import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  SIGNAL_DIRECTIONS,
  SIGNAL_ORIGINS,
  SIGNAL_SORTS,
  SIGNAL_STATUSES,
  type SignalDirection,
  type SignalListQuery,
  type SignalOrigin,
  type SignalSort,
  type SignalStatus,
} from '@scanner/contracts';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { BINANCE_INTERVALS } from '../../config';

export const SIGNAL_STATUS_FILTERS = [...SIGNAL_STATUSES, 'CLOSED'] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

/** Query of `GET /api/signals`. */
export class SignalListQueryDto implements SignalListQuery {
  @ApiPropertyOptional({ enum: SIGNAL_STATUS_FILTERS, description: 'CLOSED = any closing status' })
  @IsOptional()
  @Transform(upper)
  @IsIn(SIGNAL_STATUS_FILTERS, { message: `status must be one of ${SIGNAL_STATUS_FILTERS.join(', ')}` })
  status?: SignalStatus | 'CLOSED';

  @ApiPropertyOptional({ enum: SIGNAL_DIRECTIONS })
  @IsOptional()
  @Transform(upper)
  @IsIn(SIGNAL_DIRECTIONS, { message: `direction must be one of ${SIGNAL_DIRECTIONS.join(', ')}` })
  direction?: SignalDirection;

  @ApiPropertyOptional({ enum: BINANCE_INTERVALS, example: '5m' })
  @IsOptional()
  @IsIn(BINANCE_INTERVALS, { message: `timeframe must be one of ${BINANCE_INTERVALS.join(', ')}` })
  timeframe?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'minConfidence must be a number from 0 to 100' },
  )
  @Min(0, { message: 'minConfidence must be a number from 0 to 100' })
  @Max(100, { message: 'minConfidence must be a number from 0 to 100' })
  minConfidence?: number;

  @ApiPropertyOptional({ example: 'BTCUSDT' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z0-9]{2,20}$/, { message: 'symbol must be a Binance symbol such as BTCUSDT' })
  symbol?: string;

  @ApiPropertyOptional({
    enum: SIGNAL_ORIGINS,
    description: 'live: created from a candle that closed while the scanner ran; replay: from stored history',
  })
  @IsOptional()
  @IsIn(SIGNAL_ORIGINS, { message: `origin must be one of ${SIGNAL_ORIGINS.join(', ')}` })
  origin?: SignalOrigin;

  @ApiPropertyOptional({
    enum: SIGNAL_SORTS,
    default: 'confidence',
    description: 'confidence: highest first; latest: newest first; symbol: A-Z',
  })
  @IsOptional()
  @IsIn(SIGNAL_SORTS, { message: `sort must be one of ${SIGNAL_SORTS.join(', ')}` })
  sort?: SignalSort;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page (same filters and sort)' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor string of a previous page' })
  @MaxLength(400, { message: 'cursor must be the nextCursor string of a previous page' })
  cursor?: string;
}
