// Module hooks registered by test/helpers/test-process.mjs (they run on the loader thread).
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const TS = /\.[cm]?tsx?$/

/** `./x.js` names `./x.ts` in a NodeNext project: try the .ts file when no .js exists. */
export async function resolve (specifier, context, next) {
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
  const out = await transform(String(source), {
    loader: file.endsWith('x') ? 'tsx' : 'ts',
    format: format === 'module' ? 'esm' : 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file
  })
  return { format, source: out.code, shortCircuit: true }
}
