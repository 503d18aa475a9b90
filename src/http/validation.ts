// Route schemas compile on the first request that needs them, not at start-up: the mock has
// dozens of body schemas and a test run touches few, and compiling them all took ~300 ms of
// every cold start. The compilers are fastify's own (same ajv options and plugins), loaded from
// fastify's dependencies when first needed: ajv and fast-json-stringify cost ~60 ms to load.
import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type Compile = (route: object) => (data: unknown) => unknown
type Builder = (externalSchemas: unknown, options: unknown) => Compile

const fromFastify = (name: string): Builder => {
  const require = createRequire(createRequire(import.meta.url).resolve('fastify'))
  return (require(name) as () => Builder)()
}

function lazyValidators (externalSchemas: unknown, ajvOptions: unknown): Compile {
  let build: Compile | undefined
  return route => {
    let compiled: ((data: unknown) => unknown) & { errors?: unknown } | undefined
    // fastify reads `.errors` of the function it called after a `false`.
    const validate = (data: unknown): unknown => {
      compiled ??= (build ??= fromFastify('@fastify/ajv-compiler')(externalSchemas, ajvOptions))(route)
      const ok = compiled(data)
      validate.errors = compiled.errors
      return ok
    }
    validate.errors = undefined as unknown
    return validate
  }
}

function lazySerializers (externalSchemas: unknown, serializerOptions: unknown): Compile {
  let build: Compile | undefined
  return route => {
    let compiled: ((data: unknown) => unknown) | undefined
    return data => (compiled ??= (build ??= fromFastify('@fastify/fast-json-stringify-compiler')(externalSchemas, serializerOptions))(route))(data)
  }
}

// fastify types these with ajv's function types; it only calls them (and reads `.errors`).
export const lazyCompilers = { buildValidator: lazyValidators, buildSerializer: lazySerializers } as unknown as Factories
