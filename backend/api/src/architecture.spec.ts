import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * One owner per table: a table's SQL and entity live in one module (DESIGN, "One owner per table").
 * Every table a migration creates needs an entry here; `null` marks a table since dropped, which no
 * code may name at all.
 */
const OWNERS: Record<string, string | null> = {
  candles: 'market-data',
  market_symbols: 'market-data',
  series_status: 'market-data',
  candle_gaps: 'market-data',
  fine_candles: 'market-data',
  signals: 'signal-engine',
  signal_events: 'signal-engine',
  engine_states: 'signal-engine',
  scan_runs: 'signal-engine',
  target_fits: 'signal-engine',
  reconcile_runs: 'signal-engine',
  scoring_versions: 'signal-engine',
  ab_replays: 'signal-engine',
  ab_replay_shards: 'signal-engine',
  app_settings: 'database',
  notification_deliveries: 'notifications',
  alert_rules: 'notifications',
  alert_deliveries: 'notifications',
  health_snapshots: null,
};

const SRC = __dirname;
const MIGRATIONS = path.join(SRC, 'database', 'migrations');
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|TRUNCATE|ALTER|CREATE|DROP|LISTEN|NOTIFY)\b/i;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === MIGRATIONS ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') && full !== __filename ? [full] : [];
  });
}

/** Tables the migrations create, from their SQL. */
function migrationTables(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(MIGRATIONS)) {
    for (const match of readFileSync(path.join(MIGRATIONS, file), 'utf8').matchAll(
      /CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi,
    )) {
      names.add(match[1]);
    }
  }
  return [...names].sort();
}

/** Table names used in `source`: inside SQL-looking strings and in @Entity decorators. */
export function tablesNamedIn(
  source: string,
  tables: readonly string[],
  fileName = 'file.ts',
): Array<{ table: string; where: 'sql' | 'entity' }> {
  const found: Array<{ table: string; where: 'sql' | 'entity' }> = [];
  const named = (text: string) => tables.filter((table) => new RegExp(`\\b${table}\\b`).test(text));
  const visit = (node: ts.Node): void => {
    if (
      ts.isDecorator(node) &&
      ts.isCallExpression(node.expression) &&
      node.expression.expression.getText() === 'Entity'
    ) {
      const [arg] = node.expression.arguments;
      let name: string | undefined;
      if (arg !== undefined && ts.isStringLiteral(arg)) name = arg.text;
      if (arg !== undefined && ts.isObjectLiteralExpression(arg)) {
        const property = arg.properties.find(
          (p) => ts.isPropertyAssignment(p) && p.name.getText() === 'name',
        );
        if (
          property !== undefined &&
          ts.isPropertyAssignment(property) &&
          ts.isStringLiteral(property.initializer)
        )
          name = property.initializer.text;
      }
      for (const table of named(name ?? '')) found.push({ table, where: 'entity' });
      return;
    }
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    if (ts.isTemplateExpression(node))
      text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
    if (text !== null && SQL.test(text)) for (const table of named(text)) found.push({ table, where: 'sql' });
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true));
  return found;
}

describe('architecture: one owner per table', () => {
  const tables = migrationTables();

  it('knows the owner of every table the migrations create', () => {
    expect(tables.filter((table) => !(table in OWNERS))).toEqual([]);
    expect(tables).toEqual(
      expect.arrayContaining([
        'signals',
        'signal_events',
        'engine_states',
        'scan_runs',
        'app_settings',
        'candles',
      ]),
    );
  });

  it('finds table names in SQL strings and @Entity decorators, not in prose', () => {
    const source = [
      '// the signals table is read elsewhere',
      "const a = 'a signals page';",
      'const b = `SELECT * FROM signals s JOIN engine_states e ON true`;',
      "const c = `UPDATE ${'x'} scan_runs SET x = 1`;",
      "@Entity({ name: 'candles' }) class A {}",
      "@Entity('app_settings') class B {}",
    ].join('\n');
    expect(tablesNamedIn(source, tables)).toEqual([
      { table: 'engine_states', where: 'sql' },
      { table: 'signals', where: 'sql' },
      { table: 'scan_runs', where: 'sql' },
      { table: 'candles', where: 'entity' },
      { table: 'app_settings', where: 'entity' },
    ]);
  });

  it('names each table in SQL or an entity only inside its owning module (migrations aside)', () => {
    const violations: string[] = [];
    for (const file of tsFiles(SRC)) {
      const relative = path.relative(SRC, file).split(path.sep).join('/');
      const module = relative.includes('/') ? relative.split('/')[0] : '(src root)';
      for (const { table, where } of tablesNamedIn(readFileSync(file, 'utf8'), tables, file)) {
        const owner = OWNERS[table];
        if (owner === module) continue;
        const whose = owner === null ? 'a dropped table' : `owned by ${owner}/`;
        violations.push(
          `${relative}: ${where === 'sql' ? 'SQL names' : '@Entity maps'} ${table} (${whose}); call its owner's provider instead`,
        );
      }
    }
    expect(violations).toEqual([]);
  });
});
