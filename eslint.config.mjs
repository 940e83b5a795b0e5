// One lint over the server (src, test), the bench scripts and the SPA (web/src): typescript-eslint with
// type information, React's hooks rules for web/, and the layer boundaries of the server's folders.
import { createRequire } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// The SPA's lint plugin and the global names come from web/'s dependencies (installed by the root
// `npm install`'s postinstall), so the server's lockfile does not carry React tooling.
const webRequire = createRequire(new URL('./web/package.json', import.meta.url));
const reactHooks = webRequire('eslint-plugin-react-hooks');
const globals = webRequire('globals');

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'src/generated/**',
      'web/src/generated/**',
      '.openapi-build/**',
      '**/node_modules/**',
      'scripts/**',
      'bench/results/**',
      '*.config.*',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  ...boundaries(),
  {
    // Tests read untyped JSON bodies all the time.
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'web/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The SPA: its own tsconfig (browser libs, bundler resolution) and React's hooks rules.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        projectService: false,
        project: ['./web/tsconfig.app.json', './web/tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    // Every hooks rule is an error, the recommended warnings too (exhaustive-deps and the rest): server
    // state lives in TanStack Query, browser state comes through useSyncExternalStore.
    rules: Object.fromEntries(
      Object.keys(reactHooks.configs.recommended.rules).map((rule) => [rule, 'error']),
    ),
  },
  {
    // Bench and helper scripts are plain ES modules run by node: the recommended rules, no type information.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: globals.node,
      sourceType: 'module',
      parserOptions: { projectService: false, project: null },
    },
  },
  {
    // CommonJS helper scripts (bench/lib/ts-require.cjs): the same, as CommonJS.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: globals.node,
      sourceType: 'commonjs',
      parserOptions: { projectService: false, project: null },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

/**
 * The server's layers, lowest first. A folder may import its own layer and those below, never one
 * above: contract (the wire protocols the SPA shares: plain TypeScript) → common, config, prisma,
 * logging, metrics, security, storage, webhooks (infrastructure; webhooks knows no sender: features
 * register theirs) → auth (the guard and user sync every feature uses) → the other features (users,
 * posts, streams, room, restream, health, spa). Streams never imports Posts, Users, Restream or Room (they
 * listen to Streams' events, or fill its ports, instead). No file imports the Nest module of a folder
 * above its own: a module is imported by its parent, never the other way round.
 */
function boundaries() {
  const features = ['auth', 'users', 'posts', 'streams', 'room', 'restream', 'health', 'spa'];
  const up = (names, why) => ({ regex: `^(\\.\\./)+(${names.join('|')})(/|$)`, message: why });
  const parentModule = {
    regex: '^(\\.\\./)+[\\w.-]+\\.module$',
    message: 'A Nest module is imported by its parent folder, never by a folder below it.',
  };
  const rule = (...patterns) => ({
    'no-restricted-imports': ['error', { patterns: [parentModule, ...patterns] }],
  });
  return [
    { files: ['src/**/*.ts'], ignores: ['**/*.spec.ts', 'src/contract/**'], rules: rule() },
    {
      files: ['src/contract/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: '^\\.\\./', message: 'src/contract is the lowest layer: it imports only itself.' },
              {
                regex: '^(node:|@nestjs/|@prisma/)',
                message: 'src/contract is compiled by the SPA too: no Node or Nest.',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['src/{common,config,prisma,logging,metrics,security,storage,webhooks}/**/*.ts'],
      ignores: ['**/*.spec.ts'],
      rules: rule(up(features, 'An infrastructure layer never imports a feature module.')),
    },
    {
      files: ['src/auth/**/*.ts'],
      ignores: ['**/*.spec.ts'],
      rules: rule(
        up(
          features.filter((f) => f !== 'auth'),
          'Auth is the lowest feature: every other feature may use it, it uses none of them.',
        ),
      ),
    },
    {
      files: ['src/streams/**/*.ts'],
      ignores: ['**/*.spec.ts'],
      rules: rule(
        up(
          ['posts', 'users', 'restream', 'room'],
          'Streams never imports Posts, Users, Restream or Room: they consume its events or fill its ports.',
        ),
      ),
    },
  ];
}
