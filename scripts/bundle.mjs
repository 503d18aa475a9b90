// `npm run build`, second step: the command's code (dist/main.js, which dist/cli.js imports) as
// one file with the packages it starts with. Node then reads and compiles one file instead of
// ~60 of ours and ~140 of fastify's: the command starts in about 60 % of the time and idles in
// less memory. The library (dist/index.js and the rest) stays as tsc wrote it. Packages loaded
// only on demand stay outside, loaded from node_modules when first needed: the certificate
// generator, the JSON-schema compilers, pino and app.inject()'s light-my-request.
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

// Stand-ins for packages fastify loads at start but the command needs rarely or never (see each
// file); they load the real package from node_modules when first called.
const STAND_INS = { semver: './lazy-semver.cjs', '@fastify/proxy-addr': './lazy-proxy-addr.cjs' }

const standIns = {
  name: 'stand-ins',
  setup (b) {
    const files = new Map(Object.entries(STAND_INS).map(([pkg, file]) => [pkg, fileURLToPath(new URL(file, import.meta.url))]))
    const filter = new RegExp(`^(${Object.keys(STAND_INS).map(p => p.replace(/[/.]/g, '\\$&')).join('|')})$`)
    b.onResolve({ filter }, args => args.importer === files.get(args.path) ? { path: args.path, external: true } : { path: files.get(args.path) })
  }
}

// The exporter's renderer (its metric catalog is ~90 KB of text) loads on the first scrape, from
// tsc's output beside the bundle: it imports nothing but its own folder at run time.
const lazyRenderer = {
  name: 'lazy-renderer',
  setup (b) {
    b.onResolve({ filter: /^\.\/render\.js$/ }, args => args.importer.endsWith('/src/metrics/server.ts') ? { path: './metrics/render.js', external: true } : undefined)
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
  // light-my-request serves app.inject(), which the command never calls.
  external: ['selfsigned', 'pino', 'ajv', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request'],
  // The CommonJS packages inside call require() for Node's own modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  plugins: [standIns, lazyRenderer],
  logLevel: 'warning'
})
