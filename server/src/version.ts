/** The package version (server/package.json), inlined by tsc and esbuild so the bundles need no file next to them. */
import pkg from '../package.json';

export const VERSION: string = pkg.version;
