import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** letterpress's own version, from package.json: written into every PDF and archive manifest. */
export const letterpressVersion = version;
