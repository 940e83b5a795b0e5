/**
 * Lets the bench load the test harness's TypeScript (test/support/uplink-*.ts) without a build step:
 * `.ts` files are compiled by @swc/core (already a dev dependency, used by jest) as CommonJS on load.
 * One helper for the shaped-uplink walk, shared by the browser tests and the bench.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
