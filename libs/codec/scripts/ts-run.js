// Runs a TypeScript file of this repository without a build (for fixture
// generators): transpiles with @swc/core and maps @alphafeed/<lib> to its source.
const Module = require('node:module');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@alphafeed\/([^/]+)$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', 'index.ts');
  return resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, file) => {
  const { code } = swc.transformFileSync(file, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, file);
};
require(path.resolve(process.argv[2]));
