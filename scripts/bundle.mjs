// `npm run build`, second step: the command's code (dist/main.js, which dist/cli.js imports) as
// one file with the packages it starts with. Node then reads and compiles one file instead of
// ~60 of ours and ~140 of fastify's: the command starts in about 60 % of the time and idles in
// less memory. The library (dist/index.js and the rest) stays as tsc wrote it. Packages loaded
// only on demand stay outside, loaded from node_modules when first needed: the certificate
// generator, the JSON-schema compilers and pino.
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

// scripts/lazy-semver.cjs stands in for semver (see there); it loads the real one when it must.
const lazySemver = {
  name: 'lazy-semver',
  setup (b) {
    const shim = fileURLToPath(new URL('./lazy-semver.cjs', import.meta.url))
    b.onResolve({ filter: /^semver$/ }, args => args.importer === shim ? { path: 'semver', external: true } : { path: shim })
  }
}

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Whitespace and syntax only: names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['selfsigned', 'pino', 'ajv', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
  // The CommonJS packages inside call require() for Node's own modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  plugins: [lazySemver],
  logLevel: 'warning'
})
