// The test-control API under /_mock/: outside the RS paths and outside the RS front door.
// It authenticates on its own: an admin login (Basic) or the control token from config.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import { insufficientPermissions, unauthorized } from '../errors.js'
import type { MockControl } from './control.js'
import { listScenarios } from './scenarios.js'
import { faultRuleSchema, journalQuerySchema, scenarioSchema, timingSchema, toFilter, type JournalQuery } from './schemas.js'
import type { FaultRuleInput } from './faults.js'
import monitoringControl from './monitoring.js'
import operationsControl from './operations.js'
import { jsonBody } from '../plugins/json-body.js'

export { MockControl, type ControlOptions } from './control.js'
export { controlHooks } from './hooks.js'

// An exported state document of the 1,000-database scenario is ~6 MB; leave room.
const STATE_BODY_LIMIT = 256 * 1024 * 1024

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

/** The control token, else an admin's Basic login through the RS front door's parser. */
function authorize (app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, store: Store, token: string | undefined, done: (err?: Error) => void): void {
  const header = req.headers.authorization
  const offered = req.headers['x-mock-control-token'] ?? /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]
  if (offered !== undefined) {
    return done(token !== undefined && typeof offered === 'string' && sameSecret(offered, token) ? undefined : unauthorized('Wrong control token'))
  }
  app.basicLogin(req, reply, err => {
    if (err !== undefined) return done(err)
    done(store.access.managementRole(req.user!) === 'admin' ? undefined : insufficientPermissions('mock_control'))
  })
}

export default async function controlRoutes (app: FastifyInstance, { store, control }: { store: Store, control: MockControl }): Promise<void> {
  const open = { config: { access: 'open' as const } }
  // For Docker HEALTHCHECK and Testcontainers waits: no credentials, answers in every cluster state.
  app.get('/_mock/health', open, async () => ({
    status: 'ok',
    in_cluster: store.inCluster,
    cluster_state_id: store.clusterStateId
  }))
  if (control.options.enabled === false) return

  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.url === '/_mock/health') return done()
    authorize(app, req, reply, store, control.options.token, done)
  })
  // Bodiless POSTs are common from clients that always send Content-Type: application/json.
  jsonBody(app, { allowEmpty: true })

  // The monitoring controls (database health, load, quorum, alerts) behind the same check.
  await app.register(monitoringControl, { store, insideControlAuth: true })
  await app.register(operationsControl, { store })

  app.get('/_mock/status', open, async () => control.status())
  app.post('/_mock/reset', open, async () => control.reset())

  app.get('/_mock/state', open, async () => control.exportState())
  app.put('/_mock/state', { ...open, bodyLimit: STATE_BODY_LIMIT }, async req => control.importState(req.body))

  app.get('/_mock/scenarios', open, async () => ({ current: control.scenario, scenarios: listScenarios() }))
  app.post('/_mock/scenario', { ...open, schema: { body: scenarioSchema } }, async req =>
    control.loadScenario((req.body as { name: string }).name))

  app.get('/_mock/faults', open, async () => control.faults.list())
  app.post('/_mock/faults', { ...open, schema: { body: faultRuleSchema } }, async req => control.addFault(req.body as FaultRuleInput))
  app.get('/_mock/faults/:id(^\\d+$)', open, async req => control.faults.get(Number((req.params as { id: string }).id)))
  app.delete('/_mock/faults/:id(^\\d+$)', open, async req => control.faults.remove(Number((req.params as { id: string }).id)))
  app.delete('/_mock/faults', open, async () => ({ removed: control.faults.clear() }))

  app.get('/_mock/cluster', open, async () => control.status())
  app.post('/_mock/cluster/leave', open, async () => control.leaveCluster())
  app.post('/_mock/cluster/join', open, async () => control.joinCluster())

  app.get('/_mock/timing', open, async () => control.timing())
  app.put('/_mock/timing', { ...open, schema: { body: timingSchema } }, async req =>
    control.setTransitionDelay((req.body as { transition_delay_ms: number }).transition_delay_ms))
  app.post('/_mock/timing/complete', open, async () => control.completePending())

  const query = { ...open, schema: { querystring: journalQuerySchema } }
  app.get('/_mock/journal', query, async req => control.journal.list(toFilter(req.query as JournalQuery)))
  app.get('/_mock/journal/count', query, async req => ({ count: control.journal.count(toFilter(req.query as JournalQuery)) }))
  app.delete('/_mock/journal', open, async () => ({ cleared: control.journal.clear() }))
}
