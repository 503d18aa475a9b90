// A fresh app and store per test, built from the default fixtures; no port is opened.
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { createStore, type Store, type StoreOptions } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

export const basic = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')

/** The fixture logins: each management role's user, its password is the email's local part. */
export const logins = {
  admin: basic('admin@redis.local', 'admin'),
  cluster_member: basic('cluster-member@redis.local', 'cluster-member'),
  cluster_viewer: basic('cluster-viewer@redis.local', 'cluster-viewer'),
  db_member: basic('db-member@redis.local', 'db-member'),
  db_viewer: basic('db-viewer@redis.local', 'db-viewer'),
  user_manager: basic('user-manager@redis.local', 'user-manager'),
  none: basic('none@redis.local', 'none')
} as const
export const ADMIN = logins.admin

const seed = loadSeed(defaultFixturesDir)

export interface TestApp {
  app: FastifyInstance
  store: Store
  /** inject with admin credentials unless `headers.authorization` says otherwise (null: none) */
  call(method: InjectOptions['method'], url: string, options?: { body?: unknown, headers?: Record<string, string | null>, as?: keyof typeof logins }): Promise<LightMyRequestResponse>
}

export async function buildTestApp (t: Test, options: StoreOptions & Omit<Partial<AppOptions>, 'store'> & { beforeReady?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const store = createStore(seed, options)
  const app = await buildApp({ ...options, store })
  options.beforeReady?.(app)
  await app.ready()
  t.teardown(() => app.close())
  return {
    app,
    store,
    call (method, url, { body, headers = {}, as = 'admin' } = {}) {
      const h: Record<string, string> = { authorization: logins[as] }
      for (const [k, v] of Object.entries(headers)) {
        if (v === null) delete h[k]
        else h[k] = v
      }
      return app.inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as object }) })
    }
  }
}

/** Asserts an RS error answer: status, error_code, a description, JSON content type. */
export function isRsError (t: Test, res: LightMyRequestResponse, status: number, code: string, message?: string): void {
  t.equal(res.statusCode, status, message ?? `status ${status}`)
  t.match(res.headers['content-type'], /^application\/json/, 'JSON content type')
  const body = res.json() as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['description', 'error_code'], 'RS error body shape')
  t.equal(body.error_code, code, `error_code ${code}`)
  t.type(body.description, 'string')
}
