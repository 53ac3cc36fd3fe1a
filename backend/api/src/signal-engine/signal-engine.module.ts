import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SignalEventEntity } from './entities/signal-event.entity';
import { SignalEntity } from './entities/signal.entity';
import { SignalQueryService } from './signal-query.service';

@Module({
  imports: [TypeOrmModule.forFeature([SignalEntity, SignalEventEntity])],
  providers: [SignalQueryService],
  exports: [SignalQueryService],
})
export class SignalEngineModule {}
