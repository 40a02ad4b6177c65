import { vendoredVersions } from './versions.js';

/** The plain client-preset default config, one `generates` entry per vendored version, one process. */
const generates: Record<string, { schema: string; preset: 'client' }> = {};
for (const version of vendoredVersions('.'))
  generates[`out/client/${version}/`] = { schema: `schema/${version}.graphql`, preset: 'client' };

export default { documents: ['operations/**/*.graphql'], silent: true, generates };
