// Module hooks registered by test/helpers/test-process.mjs (they run on the loader thread).
// Every test file is a process of its own that imports most of src/: the JavaScript esbuild makes
// of each TypeScript file is kept in node_modules/.cache/ts-hooks/, keyed by the source's hash, so
// that only the first process after a change pays for the transform.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transform, version } from 'esbuild'

const TS = /\.[cm]?tsx?$/
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/ts-hooks/', import.meta.url))

/** `./x.js` names `./x.ts` in a NodeNext project: the .ts file when a TypeScript file asks and no .js exists. */
export async function resolve (specifier, context, next) {
  if (/^\.\.?\//.test(specifier) && /\.[cm]?js$/.test(specifier) && context.parentURL !== undefined && TS.test(context.parentURL)) {
    const ts = new URL(specifier.replace(/js$/, 'ts'), context.parentURL)
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(ts)) return next(ts.href, context)
  }
  try {
    return await next(specifier, context)
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\.\.?\//.test(specifier) || !/\.[cm]?js$/.test(specifier)) throw e
    return next(specifier.replace(/js$/, 'ts'), context)
  }
}

export async function load (url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context)
  const format = url.endsWith('.cts') ? 'commonjs' : 'module'
  const { source } = await next(url, { ...context, format })
  const file = fileURLToPath(url)
  const text = String(source)
  const key = createHash('sha1').update(version).update('\0').update(file).update('\0').update(text).digest('hex')
  const cached = join(CACHE, key.slice(0, 2), `${key}.js`)
  try {
    return { format, source: readFileSync(cached, 'utf8'), shortCircuit: true }
  } catch {}
  const out = await transform(text, {
    loader: file.endsWith('x') ? 'tsx' : 'ts',
    format: format === 'module' ? 'esm' : 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file
  })
  try {
    mkdirSync(dirname(cached), { recursive: true })
    // other test processes read the cache at the same time: a file appears whole or not at all
    const tmp = `${cached}.${process.pid}.tmp`
    writeFileSync(tmp, out.code)
    renameSync(tmp, cached)
  } catch {}
  return { format, source: out.code, shortCircuit: true }
}
