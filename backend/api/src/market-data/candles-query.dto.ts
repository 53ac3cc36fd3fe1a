import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { BINANCE_INTERVALS, BinanceInterval } from '../config';

/** Query of `GET /api/market/candles`. */
export class CandlesQueryDto {
  @ApiProperty({ example: 'BTCUSDT' })
  @Matches(/^[A-Z0-9]{2,20}$/, { message: 'symbol must be an upper-case Binance symbol such as BTCUSDT' })
  symbol!: string;

  @ApiProperty({ enum: BINANCE_INTERVALS, example: '5m' })
  @IsIn(BINANCE_INTERVALS, { message: `interval must be one of ${BINANCE_INTERVALS.join(', ')}` })
  interval!: BinanceInterval;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 1000' })
  @Min(1, { message: 'limit must be an integer from 1 to 1000' })
  @Max(1000, { message: 'limit must be an integer from 1 to 1000' })
  limit?: number;
}
