// Bootstrapping a fresh node (docs/rs-api-notes.md §3.2): POST /v1/bootstrap/{action} moves
// bootstrap_status idle → initiated → creating_cluster → completed on the store clock, and a
// body the node cannot use ends in state `error` with a documented error_code.
import type { ValidateFunction } from 'ajv'
import { newAjv } from './lazy-ajv.js'
import { createClusterSchema } from '../schemas/bootstrap.js'
import { alreadyInCluster, bootstrapInProgress, isApiError } from '../base/errors.js'
import type { Core } from './core.js'
import type { Json, Seed } from './state.js'
import { parseLicense } from './license.js'
import { installFreshCluster, type CreateClusterRequest } from './fresh-cluster.js'

export type BootstrapAction = 'create_cluster' | 'join_cluster' | 'recover_cluster'

interface Problem { code: string, message: string }

const RUNNING = new Set(['initiated', 'creating_cluster', 'joining_cluster', 'recovering_cluster'])
// RFC 952/1123 host names, at most 64 characters in all (docs/rs-api-notes.md §3.2)
const FQDN = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

export class Bootstrap {
  // Compiled on the first bootstrap request: most runs never make one.
  private compiled?: ValidateFunction

  constructor (private readonly core: Core, private readonly seed: () => Seed) {
    // A state swapped in (reset, import, a state file saved mid-bootstrap) cannot resume a
    // bootstrap: its request, with the password, is not kept. It ends in `error`, from which a
    // new POST may start again. Queued as a job: a rollback, which restores the old queue, drops it.
    core.onReset(() => {
      if (!RUNNING.has(String((core.state.bootstrap.bootstrap_status as Json | undefined)?.state))) return
      core.schedule(() => this.interrupted(), 0)
    })
  }

  private interrupted (): void {
    const status = this.core.state.bootstrap.bootstrap_status as Json
    if (!RUNNING.has(String(status.state))) return
    this.setStatus({
      end_time: this.core.nowIso(),
      error_code: 'internal_error',
      error_details: { message: 'The bootstrap was interrupted when the state was replaced; start it again' },
      start_time: status.start_time,
      state: 'error'
    })
  }

  private get validateBody (): ValidateFunction {
    return (this.compiled ??= newAjv({ allErrors: false }).compile(createClusterSchema))
  }

  status (): Json { return this.core.state.bootstrap }

  private setStatus (status: Json): void {
    this.core.state.bootstrap = { ...this.core.state.bootstrap, bootstrap_status: status }
    this.core.changed()
  }

  /** POST /v1/bootstrap/validate/{action}: null when the body is usable, else the error bootstrap_status. */
  validate (action: BootstrapAction, body: unknown): Json | null {
    const problem = this.check(action, body).problem
    return problem === undefined ? null : { error_code: problem.code, error_details: { message: problem.message }, state: 'error' }
  }

  /** POST /v1/bootstrap/{action}: accepted (200) unless one is running or done (409); a bad body ends in `error`. */
  start (action: BootstrapAction, body: unknown): void {
    const state = this.core.state.bootstrap.bootstrap_status as Json
    if (this.core.state.inCluster) throw alreadyInCluster()
    if (RUNNING.has(String(state.state))) throw bootstrapInProgress(String(state.state))
    const startTime = this.core.nowIso()
    const { problem, request } = this.check(action, body)
    if (problem !== undefined || request === undefined) {
      this.setStatus({
        end_time: startTime,
        error_code: problem?.code ?? 'internal_error',
        error_details: { message: problem?.message ?? 'unexpected' },
        start_time: startTime,
        state: 'error'
      })
      return
    }
    // Both steps timed from the request, so one late settle still runs them in order; queued
    // before the change, so a refused state-file write rolls back to a queue that holds them.
    const delay = this.core.timing.transitionDelayMs
    this.core.schedule(() => this.setStatus({ start_time: startTime, state: 'creating_cluster' }), delay)
    this.core.schedule(() => this.complete(request, startTime), 2 * delay)
    this.setStatus({ start_time: startTime, state: 'initiated' })
  }

  private complete (request: CreateClusterRequest, startTime: string): void {
    const { core } = this
    installFreshCluster(core.state, this.seed(), request, core.now(), core.nowIso())
    core.upSinceMs = core.now()
    core.state.inCluster = true
    core.log('cluster_created', { cluster_name: request.clusterName })
    core.log('cluster_node_joined', { node_uid: '1' })
    core.log('user_created', { user_uid: '1', user_email: request.username })
    core.log('cluster_license_updated', { expiration_date: core.state.license?.expiration_date })
    this.setStatus({ end_time: core.nowIso(), start_time: startTime, state: 'completed' })
  }

  private check (action: BootstrapAction, raw: unknown): { problem?: Problem, request?: CreateClusterRequest } {
    const fail = (code: string, message: string) => ({ problem: { code, message } })
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('config_error', 'The request body must be a JSON object')
    if (!this.validateBody(raw)) {
      const e = this.validateBody.errors?.[0]
      const where = [e?.instancePath.replace(/^\//, '').replaceAll('/', '.'), e?.params.additionalProperty].filter(Boolean).join('.')
      return fail('config_error', `Invalid bootstrap configuration${where === '' ? '' : ` at '${where}'`}: ${e?.message ?? 'invalid'}`)
    }
    const body = raw as Json & { cluster?: Json, credentials?: Json, node?: { identity?: Json }, policy?: Json }
    if (body.action !== undefined && body.action !== action) return fail('config_error', `The body's action '${String(body.action)}' does not match the path's '${action}'`)
    // The mock is one node: there is no cluster to join and no recovery file to read.
    if (action === 'join_cluster') return fail('connect_error', 'join_cluster is not supported: this mock runs single-node clusters only')
    if (action === 'recover_cluster') {
      return body.recovery_filename === undefined
        ? fail('config_error', 'recover_cluster needs recovery_filename')
        : fail('path_error', `recover_cluster is not supported: recovery file '${String(body.recovery_filename)}' cannot be read by this mock`)
    }
    const name = body.cluster?.name
    if (typeof name !== 'string') return fail('config_error', 'cluster.name is required')
    if (!FQDN.test(name)) return fail('config_error', `cluster.name '${name}' is not a valid FQDN (RFC 952/1123, at most 64 characters)`)
    const { username, password } = body.credentials ?? {}
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
      return fail('config_error', 'credentials.username and credentials.password are required')
    }
    const addr = body.node?.identity?.addr as string | undefined
    const local = this.core.state.bootstrap.local_node_info as { available_addresses?: Json[] } | undefined
    if (addr !== undefined && !(local?.available_addresses ?? []).some(a => a.address === addr)) {
      return fail('connect_error', `node.identity.addr ${addr} is not an address of this node`)
    }
    let license: Json | undefined
    if (body.license !== undefined) {
      try {
        license = parseLicense(String(body.license), this.core.now(), { clusterName: name, shardsInUse: 0 })
      } catch (e) {
        if (isApiError(e)) return fail('invalid_license', e.message)
        throw e
      }
    }
    return { request: { clusterName: name, username, password, license, policy: body.policy, addr } }
  }
}
