export * from './signal';
export * from './socket';
export * from './health';
export * from './rest';
