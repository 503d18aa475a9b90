// The test-control API under /_mock/: outside the RS paths and outside the RS front door.
// Its routes declare `access: 'control'`: an admin login (Basic) or the control token from
// config, checked by src/http/control-login.ts.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { MockControl } from './control.js'
import { listScenarios } from './scenarios.js'
import type { JoinRequestBody } from '../store/topology/index.js'
import { faultRuleSchema, joinNodeSchema, journalQuerySchema, scenarioSchema, timingSchema, toFilter, type JournalQuery } from './schemas.js'
import type { FaultRuleInput } from './faults.js'
import monitoringControl from './monitoring.js'
import securityControl from './security.js'
import operationsControl from './operations.js'
import { UID, uidOf } from '../routes/params.js'

export { MockControl, type ControlOptions } from './control.js'

// An exported state document of the 1,000-database scenario is ~6 MB; leave room.
const STATE_BODY_LIMIT = 256 * 1024 * 1024

export default async function controlRoutes (app: FastifyInstance, { store, control }: { store: Store, control: MockControl }): Promise<void> {
  const health = { config: { access: 'open' as const } }
  const guarded = { config: { access: 'control' as const } }
  // For Docker HEALTHCHECK and Testcontainers waits: no credentials, answers in every cluster state.
  app.get('/_mock/health', health, async () => ({
    status: 'ok',
    in_cluster: store.inCluster,
    cluster_state_id: store.clusterStateId,
    ...(control.listeners.length === 0 ? {} : { nodes: control.nodes })
  }))
  if (control.options.enabled === false) return

  // The monitoring controls (database health, load, quorum, alerts) behind the same check.
  await app.register(monitoringControl, { store, insideControlAuth: true })
  await app.register(securityControl, { store })
  await app.register(operationsControl, { store })
  // Node failures: a node down (or up again), as a test causes them (docs/multi-node.md).
  app.post<{ Params: { uid: string } }>(`/_mock/nodes/${UID}/down`, guarded, async req => await control.setNodeDown(uidOf(req), true))
  app.post<{ Params: { uid: string } }>(`/_mock/nodes/${UID}/up`, guarded, async req => await control.setNodeDown(uidOf(req), false))
  // A partition: the node keeps answering, alone without quorum (docs/decisions.md #53).
  app.post<{ Params: { uid: string } }>(`/_mock/nodes/${UID}/partition`, guarded, async req => control.setPartitioned(uidOf(req), true))
  app.post<{ Params: { uid: string } }>(`/_mock/nodes/${UID}/heal`, guarded, async req => control.setPartitioned(uidOf(req), false))
  // A node of another process joins (docs/decisions.md #51): an admin's Basic login, as join_cluster's credentials.
  app.post('/_mock/nodes/join', { ...guarded, schema: { body: joinNodeSchema } }, async req =>
    control.admitNode(req.body as JoinRequestBody, req.socket.remoteAddress, req.headers.host))

  app.get('/_mock/status', guarded, async () => control.status())
  app.post('/_mock/reset', guarded, async () => control.reset())

  app.get('/_mock/state', guarded, async () => control.exportState())
  app.put('/_mock/state', { ...guarded, bodyLimit: STATE_BODY_LIMIT }, async req => control.importState(req.body))

  app.get('/_mock/scenarios', guarded, async () => ({ current: control.scenario, scenarios: listScenarios() }))
  app.post('/_mock/scenario', { ...guarded, schema: { body: scenarioSchema } }, async req =>
    control.loadScenario((req.body as { name: string }).name))

  app.get('/_mock/faults', guarded, async () => control.faults.list())
  app.post('/_mock/faults', { ...guarded, schema: { body: faultRuleSchema } }, async req => control.addFault(req.body as FaultRuleInput))
  app.get('/_mock/faults/:id(^\\d+$)', guarded, async req => control.faults.get(Number((req.params as { id: string }).id)))
  app.delete('/_mock/faults/:id(^\\d+$)', guarded, async req => control.faults.remove(Number((req.params as { id: string }).id)))
  app.delete('/_mock/faults', guarded, async () => ({ removed: control.faults.clear() }))

  app.get('/_mock/cluster', guarded, async () => control.status())
  app.post('/_mock/cluster/leave', guarded, async () => control.leaveCluster())
  app.post('/_mock/cluster/join', guarded, async () => control.joinCluster())

  app.get('/_mock/timing', guarded, async () => control.timing())
  app.put('/_mock/timing', { ...guarded, schema: { body: timingSchema } }, async req =>
    control.setTransitionDelay((req.body as { transition_delay_ms: number }).transition_delay_ms))
  app.post('/_mock/timing/complete', guarded, async () => control.completePending())

  const query = { ...guarded, schema: { querystring: journalQuerySchema } }
  app.get('/_mock/journal', query, async req => control.journal.list(toFilter(req.query as JournalQuery)))
  app.get('/_mock/journal/count', query, async req => ({ count: control.journal.count(toFilter(req.query as JournalQuery)) }))
  app.delete('/_mock/journal', guarded, async () => ({ cleared: control.journal.clear() }))
}
