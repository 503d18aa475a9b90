// A fresh app and store per test, built from the default fixtures; no port is opened.
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { createStore, type Store, type StoreOptions } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'

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

/** `stateFile`: the store loads from and saves to that file, as with --state-file (a second app on it is a restart). */
export async function buildTestApp (t: Test, options: StoreOptions & Omit<Partial<AppOptions>, 'store'> & { beforeReady?: (app: FastifyInstance) => void, stateFile?: string } = {}): Promise<TestApp> {
  const store = createStore(seed, options)
  if (options.stateFile !== undefined) attachStateFile(store, options.stateFile)
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

/** The default cluster with a second, empty node, on a clock the test moves (`c.ms`); transitions take 1 s. */
export async function twoNodeApp (t: Test, t0: number) {
  const s = loadSeed(defaultFixturesDir)
  s.nodes.push({ ...structuredClone(s.nodes[0]), uid: 2, addr: '10.0.0.12', shard_list: [], shard_count: 0, ram_shard_count: 0 })
  const c = { ms: t0, now: () => c.ms }
  const store = createStore(s, { clock: c, transitionDelayMs: 1000 })
  const app = await buildApp({ store })
  t.teardown(() => app.close())
  const call = async (method: 'GET' | 'PUT' | 'POST', url: string, body?: object, headers: Record<string, string> = {}) =>
    await app.inject({ method, url, headers: { authorization: ADMIN, ...headers }, ...(body === undefined ? {} : { payload: body }) })
  const nodeOf = async (shard: number) => (await call('GET', `/v1/shards/${shard}`)).json().node_uid
  return { store, c, call, nodeOf }
}
