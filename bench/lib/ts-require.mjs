/**
 * Lets the bench load the test harness's TypeScript (test/support/uplink-*.ts) without a build step:
 * `.ts` files are compiled by @swc/core (already a dev dependency, used by jest) as CommonJS when they
 * are require()d, so the bench runs on the same helpers as the tests (see support.mjs).
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { transformSync } from '@swc/core';

Module._extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
