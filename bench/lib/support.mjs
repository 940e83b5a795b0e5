/**
 * The tests' harness (test/support/*.ts) for the bench: one set of helpers serves both. The
 * TypeScript is compiled on require() by ts-require.mjs (swc, no build step), e.g.
 * `const { RtmpReceiver } = support('rtmp-receiver')`.
 */
import { createRequire } from 'node:module';
import './ts-require.mjs';

const require = createRequire(import.meta.url);

/** The module test/support/<name>.ts. */
export const support = (name) => require(`../../test/support/${name}.ts`);
