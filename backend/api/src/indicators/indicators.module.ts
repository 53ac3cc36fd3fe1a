import { Module } from '@nestjs/common';

/** Thin adapter over signal-core: indicator series for charts. */
@Module({})
export class IndicatorsModule {}
