// ts-node's transpiler for the test run (test/tsconfig.tap.json): esbuild strips the types of
// each file in well under a millisecond, where the TypeScript compiler costs each test process
// seconds of start-up. Types are checked once, by `npm run typecheck`.
const { transformSync } = require('esbuild')

exports.create = () => ({
  transpile (input, { fileName }) {
    const out = transformSync(input, {
      loader: fileName.endsWith('x') ? 'tsx' : 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: fileName
    })
    return { outputText: out.code, sourceMapText: out.map }
  }
})
