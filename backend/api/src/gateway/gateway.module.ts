import { Module } from '@nestjs/common';
import { SignalEngineModule } from '../signal-engine/signal-engine.module';
import { SignalsGateway } from './signals.gateway';

@Module({
  imports: [SignalEngineModule],
  providers: [SignalsGateway],
  exports: [SignalsGateway],
})
export class GatewayModule {}
