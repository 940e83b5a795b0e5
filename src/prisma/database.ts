/**
 * Where the data lives: the PostgreSQL of DATABASE_URL, or an embedded PGlite in DATA_DIR served on a
 * loopback socket, so the rest of the app speaks one protocol (pg) to either.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { migrate } from './migrator';

export interface Database {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: AppConfig, logger = new Logger('Database')): Promise<Database> {
  if (config.databaseUrl) {
    const applied = await migrate(config.databaseUrl);
    if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
    return { url: config.databaseUrl, embedded: false, close: async () => undefined };
  }
  const dir = join(config.dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  // Every pooled connection (Prisma's pool, LISTEN, the migrator) needs a slot.
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: config.databasePoolSize + 8,
  });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  const applied = await migrate(url);
  if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
  logger.log(`embedded database in ${dir}`);
  return {
    url,
    embedded: true,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
