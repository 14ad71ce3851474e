// Resolves the workspace's "@chatbox/*" imports in compiled code (dist/server), from the same
// path map the TypeScript sources use, so the map lives only in tsconfig.base.json.
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.base.json');

const paths = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, targets]) => [
    alias,
    targets.map((target) => target.replace(/\.ts$/, '.js')),
  ]),
);
tsconfigPaths.register({ baseUrl: path.resolve(__dirname, '../../dist/server'), paths, addMatchAll: false });
