import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTypeOrmOptions } from '../../src/database/database.module';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestEnvironment, type TestEnvironment } from './test-env';

type Migration = (typeof MIGRATIONS)[number];

function indexOf(migration: Migration): number {
  const index = MIGRATIONS.indexOf(migration);
  if (index <= 0) throw new Error(`${migration.name} is not a registered migration after the first one`);
  return index;
}

/**
 * The environment's database migrated up to just before `migration`, so a test can store rows as they
 * were before it and then run it (with `migrateFrom`). The caller destroys the returned connection.
 */
export async function databaseBefore(
  environment: TestEnvironment,
  migration: Migration,
): Promise<DataSource> {
  const options = (await createTypeOrmOptions(environment.config())) as DataSourceOptions;
  const db = new DataSource({
    ...options,
    migrations: MIGRATIONS.slice(0, indexOf(migration)),
    migrationsRun: false,
  });
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** Runs `migration` and every later one on `db`'s own connection (an embedded database has only one). */
export async function migrateFrom(db: DataSource, migration: Migration): Promise<void> {
  const runner = db.createQueryRunner();
  try {
    for (const Next of MIGRATIONS.slice(indexOf(migration))) await new Next().up(runner);
  } finally {
    await runner.release();
  }
}

/**
 * For a describe block that tests `migration`: a test environment of its own (made in beforeAll) and a
 * getter of its database migrated up to just before `migration` (made on the first call, the same one
 * after); both are dropped in afterAll.
 */
export function suiteDatabaseBefore(migration: Migration): () => Promise<DataSource> {
  let environment: TestEnvironment | null = null;
  let db: Promise<DataSource> | null = null;
  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
  });
  afterAll(async () => {
    const opened = await db?.catch(() => null);
    if (opened?.isInitialized) await opened.destroy();
    await environment?.cleanup();
  });
  return () => {
    if (environment === null) throw new Error('suiteDatabaseBefore: call it inside a test of the block');
    db ??= databaseBefore(environment, migration);
    return db;
  };
}
