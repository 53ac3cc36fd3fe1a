/** Public entry of the config module (shared infrastructure): the validated AppConfig. */
export * from './app-config';
export { ConfigError } from './config-error';
export { ConfigModule } from './config.module';
export { ENV_DEFAULTS, parseEnv, type EnvVariable } from './env-schema';
