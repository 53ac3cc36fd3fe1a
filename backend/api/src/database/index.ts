/** Public entry of the database module (shared infrastructure; owner of app_settings). */
export { appSetting, type AppSetting, AppSettingsStore } from './app-settings.store';
export { bigintAsNumber } from './column-transformers';
export {
  createTypeOrmOptions,
  DatabaseModule,
  EmbeddedDatabase,
  EmbeddedDatabaseModule,
} from './database.module';
export { MIGRATIONS } from './migrations';
