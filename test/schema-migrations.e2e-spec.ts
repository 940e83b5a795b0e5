import { join } from 'node:path';
import { Client } from 'pg';
import { migrate, readMigrations } from '../src/prisma/migrator';
import { startApp, TestApp } from './support/app';
import { readPrismaSchema } from './support/prisma-schema';

/** The SQL migrations build exactly what prisma/schema.prisma describes — no more, no less. */
describe('schema.prisma and prisma/migrations agree', () => {
  let t: TestApp;
  let db: Client;
  const spec = readPrismaSchema(join(__dirname, '../prisma/schema.prisma'));

  beforeAll(async () => {
    t = await startApp({}, { logLevel: 'silent' });
    db = new Client({ connectionString: t.prisma.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('has the same tables', async () => {
    const { rows } = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_vybzz_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...spec.tables].sort());
  });

  it('has the same columns, types, nullability and database defaults', async () => {
    const { rows } = await db.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_vybzz_migrations'`,
    );
    const actual = rows
      .map((r) => ({
        table: r.table_name,
        column: r.column_name,
        dataType: r.data_type,
        nullable: r.is_nullable === 'YES',
        hasDbDefault: r.column_default !== null,
      }))
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    const expected = [...spec.columns].sort((a, b) =>
      `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`),
    );
    expect(actual).toEqual(expected);
  });

  it('has the same enums', async () => {
    const { rows } = await db.query(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.typname, r.labels]))).toEqual(spec.enums);
  });

  it('has the same unique keys and indices', async () => {
    const { rows } = await db.query(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
              array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE c.relname <> '_vybzz_migrations'
       GROUP BY i.indexrelid, c.relname, i.indisunique, i.indpred`,
    );
    const key = (i: { table: string; columns: string[]; unique: boolean; partial: boolean }) =>
      `${i.table}(${i.columns.join(',')})${i.unique ? '!' : ''}${i.partial ? ' where…' : ''}`;
    expect(rows.map(key).sort()).toEqual(spec.indexes.map(key).sort());
  });

  it('has the same foreign keys and delete rules', async () => {
    const { rows } = await db.query(
      `SELECT tc.table_name, kcu.column_name, ccu.table_name AS ref, rc.delete_rule
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
       JOIN information_schema.referential_constraints rc ON rc.constraint_name = tc.constraint_name
       WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
    );
    const key = (f: { table: string; column: string; refTable: string; onDelete: string }) =>
      `${f.table}.${f.column}->${f.refTable} ${f.onDelete}`;
    expect(
      rows
        .map((r) =>
          key({ table: r.table_name, column: r.column_name, refTable: r.ref, onDelete: r.delete_rule }),
        )
        .sort(),
    ).toEqual(spec.foreignKeys.map(key).sort());
  });

  it('records what it applied and applies nothing twice', async () => {
    const { rows } = await db.query('SELECT name FROM "_vybzz_migrations" ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(t.prisma.database.url)).toEqual([]);
  });
});
