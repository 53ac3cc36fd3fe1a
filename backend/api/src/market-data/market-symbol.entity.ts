import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A symbol the exchange lists, with its last 24 h statistics and whether it is in the scan universe. */
@Entity({ name: 'market_symbols' })
export class MarketSymbolEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  symbol!: string;

  @Column({ name: 'base_asset', type: 'varchar', length: 20 })
  baseAsset!: string;

  @Column({ name: 'quote_asset', type: 'varchar', length: 20 })
  quoteAsset!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ name: 'tick_size', type: 'double precision', nullable: true })
  tickSize!: number | null;

  @Column({ name: 'in_universe', type: 'boolean', default: false })
  inUniverse!: boolean;

  @Column({ name: 'universe_rank', type: 'integer', nullable: true })
  universeRank!: number | null;

  @Column({ name: 'quote_volume', type: 'double precision', nullable: true })
  quoteVolume!: number | null;

  @Column({ name: 'last_price', type: 'double precision', nullable: true })
  lastPrice!: number | null;

  @Column({ name: 'price_change_percent', type: 'double precision', nullable: true })
  priceChangePercent!: number | null;

  @Column({ name: 'high_price', type: 'double precision', nullable: true })
  highPrice!: number | null;

  @Column({ name: 'low_price', type: 'double precision', nullable: true })
  lowPrice!: number | null;

  @Column({ type: 'double precision', nullable: true })
  volume!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /** Exchange time the symbol dropped out of the universe (null while in it): its signals' grace starts here. */
  @Column({ name: 'left_universe_at', type: 'timestamptz', nullable: true })
  leftUniverseAt!: Date | null;
}
