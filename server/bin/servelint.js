#!/usr/bin/env node
// The CLI bundled by `npm run build` (scripts/bundle.mjs --cli: one file loads faster than the compiled modules),
// unless out/ was compiled after it (`npx tsc` alone): then the compiled modules, so this always runs the latest build.
const fs = require('fs');
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'servelint.js');
const compiled = path.join(__dirname, '..', '..', 'out', 'server', 'src', 'cli', 'main.js');
const mtime = (p) => {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};
require(mtime(bundle) >= mtime(compiled) ? bundle : compiled);
