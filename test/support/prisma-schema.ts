/**
 * A small reader of prisma/schema.prisma (the subset this project uses), so a test can derive the
 * tables, columns, indices and foreign keys the schema promises and compare them with the database
 * that the SQL migrations build.
 */
import { readFileSync } from 'node:fs';
import { defined } from './indexing';

export interface ColumnSpec {
  table: string;
  column: string;
  dataType: string;
  nullable: boolean;
  hasDbDefault: boolean;
}
export interface IndexSpec {
  table: string;
  columns: string[];
  unique: boolean;
  /** A partial index (`where: raw("…")`). */
  partial: boolean;
}
export interface ForeignKeySpec {
  table: string;
  column: string;
  refTable: string;
  onDelete: string;
}
export interface SchemaSpec {
  enums: Record<string, string[]>;
  columns: ColumnSpec[];
  indexes: IndexSpec[];
  foreignKeys: ForeignKeySpec[];
  tables: string[];
}

const SCALAR: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  Float: 'double precision',
  Boolean: 'boolean',
  Json: 'jsonb',
  Bytes: 'bytea',
  DateTime: 'timestamp without time zone',
};
const DB_TYPE: Record<string, string> = {
  Uuid: 'uuid',
  Timestamptz: 'timestamp with time zone',
  Text: 'text',
};
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  SetNull: 'SET NULL',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
};

/** Capture group `n` of a match whose pattern always fills it. */
const group = (m: RegExpMatchArray, n: number) => defined(m[n], `group ${n} of "${m[0]}"`);

export function readPrismaSchema(file: string): SchemaSpec {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const enums: Record<string, string[]> = {};
  for (const m of text.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g))
    enums[group(m, 1)] = group(m, 2).split(/\s+/).filter(Boolean);
  const blocks = [...text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)].map((m) => ({
    name: group(m, 1),
    body: group(m, 2),
  }));
  const tableOf: Record<string, string> = {};
  for (const b of blocks) tableOf[b.name] = /@@map\("([^"]+)"\)/.exec(b.body)?.[1] ?? b.name;
  const tableOfModel = (model: string) => defined(tableOf[model], `the table of model ${model}`);

  const spec: SchemaSpec = {
    enums,
    columns: [],
    indexes: [],
    foreignKeys: [],
    tables: Object.values(tableOf),
  };
  for (const b of blocks) {
    const table = tableOfModel(b.name);
    const colOf: Record<string, string> = {};
    for (const line of b.body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('@@'))) {
      const [, name, type, mod, attrs = ''] = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(line) ?? [];
      if (!name || !type || mod === '[]') continue;
      if (!(type in SCALAR) && !(type in enums)) {
        const rel =
          /@relation\((?:"\w+",\s*)?fields:\s*\[(\w+)\],\s*references:\s*\[\w+\](?:,\s*onDelete:\s*(\w+))?/.exec(
            attrs,
          );
        if (rel)
          spec.foreignKeys.push({
            table,
            column: group(rel, 1),
            refTable: tableOfModel(type),
            onDelete: defined(ACTIONS[rel[2] ?? 'NoAction'], `the onDelete action ${rel[2]}`),
          });
        continue;
      }
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? name;
      colOf[name] = column;
      const db = /@db\.(\w+)/.exec(attrs)?.[1];
      const dataType =
        type in enums
          ? 'USER-DEFINED'
          : defined(db ? DB_TYPE[db] : SCALAR[type], `the column type of ${type} ${db ?? ''}`);
      const def = /@default\(([^)]*\)?)\)/.exec(attrs)?.[1];
      const hasDbDefault = def !== undefined && !/^(uuid|cuid)\(/.test(def);
      spec.columns.push({ table, column, dataType, nullable: mod === '?', hasDbDefault });
      if (/@unique\b/.test(attrs) || /@id\b/.test(attrs))
        spec.indexes.push({ table, columns: [column], unique: true, partial: false });
    }
    for (const m of b.body.matchAll(/@@(index|unique|id)\(\[([^\]]+)\]([^\n]*)/g)) {
      const fields = group(m, 2)
        .split(',')
        .map((c) => c.trim().replace(/\(.*$/, ''));
      const cols = fields.map((f) => defined(colOf[f], `the column of ${b.name}.${f}`));
      spec.indexes.push({
        table,
        columns: cols,
        unique: m[1] !== 'index',
        partial: /\bwhere:/.test(group(m, 3)),
      });
    }
  }
  for (const fk of spec.foreignKeys) {
    const col = Object.entries(spec.columns).find(([, c]) => c.table === fk.table && c.column === fk.column);
    if (!col) {
      // the relation names the Prisma field; map it to its column
      const b = blocks.find((x) => tableOf[x.name] === fk.table)!;
      fk.column =
        new RegExp(`${fk.column}\\s+\\w+\\??[^\\n]*@map\\("([^"]+)"\\)`).exec(b.body)?.[1] ?? fk.column;
    }
  }
  return spec;
}
