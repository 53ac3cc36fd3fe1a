/** Public entry of the gateway module: the Socket.IO edge of the live feed. */
export { GatewayModule } from './gateway.module';
export { OutboxPublisher } from './outbox-publisher';
export { ScannerStatusService } from './scanner-status.service';
export { SignalsGateway } from './signals.gateway';
export { MarketMatrixFeed } from './market-matrix-feed';
export { SocketIoAdapter } from './socket-io.adapter';
