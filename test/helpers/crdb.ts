// Active-Active test helpers: CRDB bodies and an app on a test clock with a chosen peer transport.
import type { Test } from 'tap'
import { buildTestApp } from './app.js'
import type { PeerTransport } from '../../src/store/active-active/index.js'

export const T0 = Date.parse('2026-03-02T10:00:00Z')
/** The default fixtures' cluster name: the instance named after it is the local one. */
export const LOCAL = 'mock-cluster.local'

export const instance = (name: string, extra = {}) =>
  ({ cluster: { name, url: `https://${name}:9443`, credentials: { username: 'admin@redis.local', password: 'admin' } }, ...extra })
export const body = (extra = {}) => ({ name: 'aa-db', default_db_config: { memory_size: 1048576 }, instances: [instance(LOCAL)], ...extra })

/** An app whose clock moves only by tick(ms), which also makes a request so due transitions run. */
export async function setup (t: Test, peers?: PeerTransport) {
  const clock = { ms: T0, now: () => clock.ms }
  const app = await buildTestApp(t, { clock, transitionDelayMs: 100, ...(peers === undefined ? {} : { peers }) })
  const tick = async (ms = 100) => { clock.ms += ms; await app.call('GET', '/v1/crdb_tasks') }
  return { ...app, clock, tick }
}

/** Creates a one-instance CRDB and runs its task to the end. */
export async function created (t: Test) {
  const s = await setup(t)
  const task = (await s.call('POST', '/v1/crdbs', { body: body() })).json()
  s.store.completePending()
  return { ...s, task, guid: task.crdb_guid as string }
}
