import { InitialSchema1732600000000 } from './1732600000000-initial-schema';

/** Every migration, in order. Run at boot; later issues append here. */
export const MIGRATIONS = [InitialSchema1732600000000];
