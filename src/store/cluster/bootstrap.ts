// Bootstrapping a fresh node (docs/rs-api-notes.md §3.2): POST /v1/bootstrap/{action} moves
// bootstrap_status idle → initiated → creating_cluster → completed on the store clock, and a
// body the node cannot use ends in state `error` with a documented error_code. join_cluster
// goes joining_cluster → completed or error once the master in another process answered
// (docs/decisions.md #51-#52); the request itself travels through a JoinLink.
import { randomBytes } from 'node:crypto'
import type { ValidateFunction } from 'ajv'
import { newAjv, type Core, type Json, type Seed, type State } from '../kernel/index.js'
import { createClusterSchema } from '../../schemas/bootstrap.js'
import { alreadyInCluster, bootstrapInProgress, isApiError } from '../../base/errors.js'
import { parseLicense } from '../settings/index.js'
import { installFreshCluster, type CreateClusterRequest } from './fresh-cluster.js'

export type BootstrapAction = 'create_cluster' | 'join_cluster' | 'recover_cluster'

interface Problem { code: string, message: string }

/** Where a join goes: cluster.nodes entries as host and port, with the admin credentials. */
export interface JoinRequest {
  targets: Array<{ host: string, port: number }>
  username: string
  password: string
  /** credentials.trusted_ca: verify the master's certificate with it (otherwise not verified) */
  ca?: string
  addr?: string
  externalAddr?: string[]
  /** lets the master tell this process that it was removed */
  token: string
}

export type JoinOutcome = { ok: true, uid: number, masterUrl: string, state: unknown } | ({ ok: false } & Problem)

/** Carries a join to the master's process (src/control/cluster-link.ts); absent without a listener. */
export type JoinLink = (request: JoinRequest, dryRun: boolean) => Promise<JoinOutcome>

export const DEFAULT_CNM_PORT = 9443
// host, host:port, [v6] or [v6]:port; a bare IPv6 address has no port
/** The nodes of a join request tried at most (a cluster's node count, docs/multi-node.md). */
export const MAX_JOIN_TARGETS = 32
const TARGET = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/

const RUNNING = new Set(['initiated', 'creating_cluster', 'joining_cluster', 'recovering_cluster'])
// RFC 952/1123 host names, at most 64 characters in all (docs/rs-api-notes.md §3.2)
const FQDN = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

export class Bootstrap {
  // Compiled on the first bootstrap request: most runs never make one.
  private compiled?: ValidateFunction
  /** set by the test control once the server listens */
  link?: JoinLink
  private joinRuns = 0

  constructor (private readonly core: Core, private readonly seed: () => Seed, private readonly parse: (doc: unknown) => State) {
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

  /** POST /v1/bootstrap/validate/{action}: null when the body is usable, else the error bootstrap_status.
   *  A join is checked by the master too: reachable, the credentials an admin's (a dry run there). */
  async validate (action: BootstrapAction, body: unknown): Promise<Json | null> {
    const failed = (p: Problem): Json => ({ error_code: p.code, error_details: { message: p.message }, state: 'error' })
    if (action !== 'join_cluster') {
      const problem = this.check(action, body).problem
      return problem === undefined ? null : failed(problem)
    }
    const { problem, join } = this.checkJoin(body)
    if (problem !== undefined || join === undefined) return failed(problem!)
    const outcome = await this.send(join, true)
    return outcome.ok ? null : failed(outcome)
  }

  private async send (join: JoinRequest, dryRun: boolean): Promise<JoinOutcome> {
    if (this.link === undefined) return { ok: false, code: 'connect_error', message: 'This mock has no listener: it cannot join a cluster over the network' }
    try {
      return await this.link(join, dryRun)
    } catch (e) {
      // a join never ends in a 500 or an unhandled rejection: whatever went wrong on the way is a connect_error
      return { ok: false, code: 'connect_error', message: (e as Error).message }
    }
  }

  /** POST /v1/bootstrap/{action}: accepted (200) unless one is running or done (409); a bad body ends in `error`. */
  start (action: BootstrapAction, body: unknown): void {
    const state = this.core.state.bootstrap.bootstrap_status as Json
    if (this.core.state.inCluster) throw alreadyInCluster()
    if (RUNNING.has(String(state.state))) throw bootstrapInProgress(String(state.state))
    const startTime = this.core.nowIso()
    if (action === 'join_cluster') return this.startJoin(body, startTime)
    const { problem, request } = this.check(action, body)
    if (problem !== undefined || request === undefined) return this.fail(startTime, problem)
    // Both steps timed from the request, so one late settle still runs them in order; queued
    // before the change, so a refused state-file write rolls back to a queue that holds them.
    const delay = this.core.timing.transitionDelayMs
    this.core.schedule(() => this.setStatus({ start_time: startTime, state: 'creating_cluster' }), delay)
    this.core.schedule(() => this.complete(request, startTime), 2 * delay)
    this.setStatus({ start_time: startTime, state: 'initiated' })
  }

  private fail (startTime: string, problem?: Problem): void {
    this.setStatus({
      end_time: this.core.nowIso(),
      error_code: problem?.code ?? 'internal_error',
      error_details: { message: problem?.message ?? 'unexpected' },
      start_time: startTime,
      state: 'error'
    })
  }

  /** joining_cluster until the master answers: then this process holds the cluster's state as node UID. */
  private startJoin (body: unknown, startTime: string): void {
    const { problem, join } = this.checkJoin(body)
    if (problem !== undefined || join === undefined) return this.fail(startTime, problem)
    const run = ++this.joinRuns
    this.setStatus({ start_time: startTime, state: 'joining_cluster' })
    void this.send(join, false).then(outcome => {
      const status = this.core.state.bootstrap.bootstrap_status as Json
      // a reset or a state swapped in meanwhile ended this run (onReset)
      if (run !== this.joinRuns || status.state !== 'joining_cluster') return
      try {
        if (!outcome.ok) return this.fail(startTime, outcome)
        this.joined(outcome, join.token, startTime)
      } catch (e) {
        try { this.fail(startTime, { code: 'internal_error', message: (e as Error).message }) } catch {}
      }
    })
  }

  private joined (outcome: Extract<JoinOutcome, { ok: true }>, token: string, startTime: string): void {
    const state = this.parse(outcome.state)
    const local = this.core.state.bootstrap.local_node_info as Json
    state.bootstrap = {
      bootstrap_status: { end_time: this.core.nowIso(), start_time: startTime, state: 'completed' },
      local_node_info: { ...local, uid: String(outcome.uid) }
    }
    state.nodeOps = { ...state.nodeOps, member: { uid: outcome.uid, master_url: outcome.masterUrl, token }, remote: [], partitioned: [] }
    state.inCluster = true
    this.core.replace(state)
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

  /** The body checks every action shares: a JSON object that fits the schema, its action the path's. */
  private checkBody (action: BootstrapAction, raw: unknown): Problem | undefined {
    const fail = (code: string, message: string) => ({ code, message })
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('config_error', 'The request body must be a JSON object')
    if (!this.validateBody(raw)) {
      const e = this.validateBody.errors?.[0]
      const where = [e?.instancePath.replace(/^\//, '').replaceAll('/', '.'), e?.params.additionalProperty].filter(Boolean).join('.')
      return fail('config_error', `Invalid bootstrap configuration${where === '' ? '' : ` at '${where}'`}: ${e?.message ?? 'invalid'}`)
    }
    const named = (raw as Json).action
    if (named !== undefined && named !== action) return fail('config_error', `The body's action '${String(named)}' does not match the path's '${action}'`)
    return undefined
  }

  /** join_cluster: cluster.nodes as host[:port] (port: cnm_https_port, else 9443) and the cluster's admin credentials. */
  private checkJoin (raw: unknown): { problem?: Problem, join?: JoinRequest } {
    const fail = (code: string, message: string) => ({ problem: { code, message } })
    const problem = this.checkBody('join_cluster', raw)
    if (problem !== undefined) return { problem }
    const body = raw as Json & { cluster?: { nodes?: string[] }, credentials?: Json, node?: { identity?: Json }, cnm_https_port?: number }
    const nodes = body.cluster?.nodes ?? []
    if (nodes.length === 0) return fail('config_error', 'cluster.nodes must name at least one node of the cluster to join')
    // Each is a call out, on an unauthenticated route: a list of thousands would be a scanner.
    if (nodes.length > MAX_JOIN_TARGETS) return fail('config_error', `cluster.nodes names ${nodes.length} nodes: at most ${MAX_JOIN_TARGETS} are tried`)
    const targets: JoinRequest['targets'] = []
    for (const entry of nodes) {
      const bareV6 = entry.split(':').length > 2 && !entry.startsWith('[')
      const m = bareV6 ? [entry, entry, undefined, undefined] : TARGET.exec(entry)
      const port = m?.[3] === undefined ? body.cnm_https_port ?? DEFAULT_CNM_PORT : Number(m[3])
      if (m === null || port < 1 || port > 65535) return fail('config_error', `cluster.nodes entry '${entry.slice(0, 100)}' is not an address or address:port`)
      targets.push({ host: m[1] ?? m[2]!, port })
    }
    const { username, password, trusted_ca: ca } = body.credentials ?? {}
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
      return fail('config_error', 'credentials.username and credentials.password are required')
    }
    if (this.core.state.inCluster) return fail('config_error', 'This node is already a member of a cluster')
    const identity = body.node?.identity ?? {}
    const addrProblem = this.checkAddr(identity.addr as string | undefined)
    if (addrProblem !== undefined) return { problem: addrProblem }
    return {
      join: {
        targets, username, password, ...(typeof ca === 'string' ? { ca } : {}),
        ...(identity.addr === undefined ? {} : { addr: identity.addr as string }),
        ...(identity.external_addr === undefined ? {} : { externalAddr: identity.external_addr as string[] }),
        token: randomBytes(16).toString('hex')
      }
    }
  }

  private checkAddr (addr: string | undefined): Problem | undefined {
    const local = this.core.state.bootstrap.local_node_info as { available_addresses?: Json[] } | undefined
    if (addr !== undefined && !(local?.available_addresses ?? []).some(a => a.address === addr)) {
      return { code: 'connect_error', message: `node.identity.addr ${addr} is not an address of this node` }
    }
    return undefined
  }

  private check (action: BootstrapAction, raw: unknown): { problem?: Problem, request?: CreateClusterRequest } {
    const fail = (code: string, message: string) => ({ problem: { code, message } })
    const problem = this.checkBody(action, raw)
    if (problem !== undefined) return { problem }
    const body = raw as Json & { cluster?: Json, credentials?: Json, node?: { identity?: Json }, policy?: Json }
    // The mock has no recovery file to read.
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
    const addrProblem = this.checkAddr(addr)
    if (addrProblem !== undefined) return { problem: addrProblem }
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
