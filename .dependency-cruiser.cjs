/**
 * Module boundaries, checked by `npm run lint` (dependency-cruiser). What each rule protects is in
 * docs/architecture.md ("Boundaries"); table ownership is checked by scripts/check-tables.mjs.
 *
 * A module is a folder packages/server/src/modules/<name>/. From outside, a module is its
 * `<name>.module.ts`: the definition (for `requires`) and the types of the services it exports.
 */
const MODULE = '^packages/server/src/modules/([^/]+)/';
/** In `to`, `$1` is the module `from` matched. */
const SAME_MODULE = '^packages/server/src/modules/$1/';

module.exports = {
  forbidden: [
    {
      name: 'no-routes-across-modules',
      comment:
        "A module's routes import another module's routes (helpers, presenters). Shared HTTP helpers " +
        'and presenters live in platform/; a use of another module goes through its service.',
      severity: 'error',
      from: { path: `${MODULE}.+\\.routes\\.ts$` },
      to: { path: '^packages/server/src/modules/[^/]+/.+\\.routes\\.ts$', pathNot: SAME_MODULE },
    },
    {
      name: 'no-repo-across-modules',
      comment:
        "Another module's repository or table types: a module's tables are read and written by its " +
        'own repo only; others use the services it exports (see <name>.module.ts).',
      severity: 'error',
      from: { path: MODULE },
      to: { path: '^packages/server/src/modules/[^/]+/.+\\.(repo|schema)\\.ts$', pathNot: SAME_MODULE },
    },
    {
      name: 'only-module-entry-across-modules',
      comment:
        'From another module, import only its <name>.module.ts (the definition and the types of the ' +
        'services it exports), never its internals.',
      severity: 'error',
      from: { path: MODULE },
      to: {
        path: '^packages/server/src/modules/',
        pathNot: [
          SAME_MODULE,
          '^packages/server/src/modules/([^/]+)/\\1\\.module\\.ts$',
          '^packages/server/src/modules/[^/]+/.+\\.(routes|repo|schema)\\.ts$',
        ],
      },
    },
    {
      name: 'platform-not-to-modules',
      comment: 'The platform is below the modules: it never imports one (app.ts wires them).',
      severity: 'error',
      from: { path: '^packages/server/src/platform/' },
      to: { path: '^packages/server/src/modules/' },
    },
    {
      name: 'web-not-to-server',
      comment: 'The browser app shares code with the server only through packages/shared.',
      severity: 'error',
      from: { path: '^packages/web/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'shared-stands-alone',
      comment: 'packages/shared is used by server and web and imports neither.',
      severity: 'error',
      from: { path: '^packages/shared/' },
      to: { path: '^packages/(server|web)/' },
    },
    {
      name: 'no-cycles',
      comment: 'Circular imports (type-only imports do not count: they vanish at run time).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
