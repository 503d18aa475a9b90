// ajv takes ~30 ms to load and no request of a usual start needs it: it is required (it is
// CommonJS, so synchronously) by the first schema compiled, never imported at start-up.
import { createRequire } from 'node:module'
import type { Ajv, Options } from 'ajv'

export function newAjv (options: Options): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv')
  return new AjvClass(options)
}
