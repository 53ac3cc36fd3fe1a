import { PGlite } from '@electric-sql/pglite';
import { DataSource } from 'typeorm';
import { createPgliteDriver } from './pglite-driver';

describe('PGlite driver', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const db = await PGlite.create();
    dataSource = new DataSource({ type: 'postgres', driver: createPgliteDriver(db) });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
    await dataSource.query('INSERT INTO counter VALUES (1, 0)');
  });

  afterAll(() => dataSource.destroy());

  it('isolates concurrent transactions on the single session (no lost updates)', async () => {
    const increment = () =>
      dataSource.transaction(async (manager) => {
        const [row] = await manager.query('SELECT value FROM counter WHERE id = 1');
        await new Promise((resolve) => setTimeout(resolve, 5));
        await manager.query('UPDATE counter SET value = $1 WHERE id = 1', [row.value + 1]);
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    const [row] = await dataSource.query('SELECT value FROM counter WHERE id = 1');
    expect(row.value).toBe(20);
  });

  it('rolls back a failed transaction without affecting the next one', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query('UPDATE counter SET value = -1 WHERE id = 1');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [row] = await dataSource.query('SELECT value FROM counter WHERE id = 1');
    expect(row.value).toBe(20);
  });

  it('reports affected rows for updates and deletes', async () => {
    await dataSource.query('INSERT INTO counter VALUES (2, 0), (3, 0)');
    const result = await dataSource.createQueryBuilder().delete().from('counter').where('id > 1').execute();
    expect(result.affected).toBe(2);
  });
});
