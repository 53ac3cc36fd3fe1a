import { PGlite } from '@electric-sql/pglite';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { createPgliteDriver } from './pglite-driver';

/** Postgres when DATABASE_URL is set, else embedded PGlite under DATA_DIR; same entities and migrations. */
export async function createTypeOrmOptions(config: AppConfig): Promise<TypeOrmModuleOptions> {
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
  const directory = path.join(config.dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  const db = await PGlite.create(directory);
  return { ...common, driver: createPgliteDriver(db), retryAttempts: 0 };
}

@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => createTypeOrmOptions(config),
        }),
      ],
    };
  }
}
