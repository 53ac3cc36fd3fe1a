import { PGlite } from '@electric-sql/pglite';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../config';
import { AppSettingsStore } from './app-settings.store';
import { MIGRATIONS } from './migrations';
import { createPgliteDriver } from './pglite-driver';

/**
 * The embedded PGlite instance, or null on Postgres. Exposed because PGlite has a single session that
 * only TypeORM's pool reaches otherwise: the live feed needs it for `LISTEN` (on Postgres it opens its
 * own connection from DATABASE_URL).
 */
export class EmbeddedDatabase {
  constructor(readonly db: PGlite | null) {}
}

async function openEmbeddedDatabase(config: AppConfig): Promise<EmbeddedDatabase> {
  if (config.databaseUrl !== null) return new EmbeddedDatabase(null);
  const directory = path.join(config.dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  return new EmbeddedDatabase(await PGlite.create(directory));
}

/** Opens the embedded database once per process; imported by TypeORM's options factory and the live feed. */
@Module({
  providers: [{ provide: EmbeddedDatabase, inject: [AppConfig], useFactory: openEmbeddedDatabase }],
  exports: [EmbeddedDatabase],
})
export class EmbeddedDatabaseModule {}

/**
 * Postgres when DATABASE_URL is set, else embedded PGlite under DATA_DIR; same entities and migrations.
 * `embedded` is the PGlite instance to use (one is opened under DATA_DIR when not given).
 */
export async function createTypeOrmOptions(
  config: AppConfig,
  embedded?: PGlite | null,
): Promise<TypeOrmModuleOptions> {
  const common = {
    type: 'postgres' as const,
    autoLoadEntities: true,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const],
    retryAttempts: 3,
    retryDelay: 1000,
  };
  if (config.databaseUrl !== null) {
    return { ...common, url: config.databaseUrl, extra: { max: 10, connectionTimeoutMillis: 5000 } };
  }
  const db = embedded ?? (await openEmbeddedDatabase(config)).db;
  if (db === null) throw new Error('no embedded database: DATABASE_URL is set');
  return { ...common, driver: createPgliteDriver(db), retryAttempts: 0 };
}

/** The data source (global, as TypeORM's is) and the shared app_settings store. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [AppSettingsStore],
      imports: [
        EmbeddedDatabaseModule,
        TypeOrmModule.forRootAsync({
          imports: [EmbeddedDatabaseModule],
          inject: [AppConfig, EmbeddedDatabase],
          useFactory: (config: AppConfig, embedded: EmbeddedDatabase) =>
            createTypeOrmOptions(config, embedded.db),
        }),
      ],
      exports: [EmbeddedDatabaseModule, AppSettingsStore],
    };
  }
}
