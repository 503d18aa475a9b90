// What every part of the store shares: the state, the clock, the change counter,
// the event log and the queue of asynchronous transitions.
import { isoSeconds, type Clock, type Json, type State } from './state.js'
import { restoreInto } from './restore.js'

export interface Timing {
  /** ms from a request to its async completion (bdb pending → active, bootstrap, actions) */
  transitionDelayMs: number
}

interface Job { due: number, seq: number, run: () => void }

/** ms from a request to its async completion unless told otherwise (--transition-delay-ms). */
export const DEFAULT_TRANSITION_DELAY_MS = 100

/** Longest text an event field keeps: free text a client sent (names, old and new values) must not
 *  make /v1/logs and the state file grow by its size with each event. */
export const MAX_EVENT_TEXT = 256

/** Events /v1/logs keeps (docs/reliability.md). */
export const MAX_EVENTS = 10_000

export class Core {
  private current: State
  readonly clock: Clock
  readonly timing: Timing
  private jobs: Job[] = []
  // The queue as of the last change every listener accepted: a refused change restores it.
  private committedJobs: Job[] = []
  private seq = 0
  private gen = 0
  private readonly changeListeners: Array<() => void> = []
  private readonly resetListeners: Array<() => void> = []

  /**
   * When the nodes' stored `uptime` was true: the node process starting (the store, a reset, an
   * import, a restart on the state file) or the cluster being bootstrapped. Not persisted: a real
   * node's uptime starts over when it restarts too.
   */
  upSinceMs: number

  constructor (state: State, clock: Clock, timing: Timing) {
    this.current = state
    this.clock = clock
    this.timing = timing
    this.upSinceMs = clock.now()
  }

  /** Always read through `core.state`: reset and import swap the whole object. */
  get state (): State { return this.current }

  /**
   * Every state change goes through here: real RS bumps cluster-state-id on each.
   * A listener may throw to refuse the change (the state file could not be written): it
   * restores the state first (see restore), and the error reaches the client.
   */
  changed (): void {
    this.gen++
    this.current.clusterStateId++
    for (const l of this.changeListeners) l()
    this.committedJobs = [...this.jobs]
  }

  /**
   * Moves on every change, swap and rollback (unlike cluster-state-id, which a swap or a rollback
   * may set back to an earlier value): what is derived from the state at one generation holds
   * until it moves. Not persisted.
   */
  get generation (): number { return this.gen }

  /** Called synchronously after each change, before the response is sent (persistence). */
  onChange (listener: () => void): void { this.changeListeners.push(listener) }

  /**
   * Called after reset, import and load swapped in a new state: clear caches derived from the
   * state, and schedule again the transitions of objects found in a transient status (jobs
   * must look objects up by uid when they run, never hold them).
   */
  onReset (listener: () => void): void { this.resetListeners.push(listener) }

  /**
   * Swaps in a whole new state (reset, import, scenario, state file): pending jobs are dropped,
   * reset listeners run, and unless `quiet` it counts as one change (cluster-state-id keeps
   * increasing across it). If a change listener refuses it, the previous state comes back.
   */
  replace (state: State, quiet = false): void {
    const previous = { state: this.current, jobs: this.jobs, committed: this.committedJobs }
    if (!quiet) state.clusterStateId = Math.max(state.clusterStateId, this.current.clusterStateId)
    this.current = state
    this.gen++
    this.jobs = []
    const upSince = this.upSinceMs
    this.upSinceMs = this.clock.now()
    for (const l of this.resetListeners) l()
    if (quiet) {
      this.committedJobs = [...this.jobs]
      return
    }
    try {
      this.changed()
    } catch (e) {
      this.current = previous.state
      this.upSinceMs = upSince
      this.gen++
      this.jobs = []
      for (const l of this.resetListeners) l() // caches follow the state back
      this.jobs = previous.jobs
      this.committedJobs = previous.committed
      throw e
    }
  }

  /**
   * Puts back an earlier content of the state, in place (objects keep their identity, so a
   * job holding one still sees the live object) and the job queue of the last commit.
   */
  restore (snapshot: State): void {
    restoreInto(this.current, snapshot)
    this.gen++
    this.jobs = [...this.committedJobs]
  }

  now (): number { return this.clock.now() }
  nowIso (): string { return isoSeconds(this.clock.now()) }

  /** Appends an event to /v1/logs in the real shape (docs/decisions.md #18); the oldest go past MAX_EVENTS. */
  log (type: string, fields: Json = {}, severity = 'INFO'): void {
    const events = this.state.events
    for (const [k, v] of Object.entries(fields)) if (typeof v === 'string' && v.length > MAX_EVENT_TEXT) fields[k] = `${v.slice(0, MAX_EVENT_TEXT)}…`
    events.push({ time: this.nowIso(), type: type.slice(0, MAX_EVENT_TEXT), severity, ...fields })
    // Trimmed in batches: a long-running mock's memory and state file stay bounded (RS rotates its log too).
    if (events.length > MAX_EVENTS + MAX_EVENTS / 10) events.splice(0, events.length - MAX_EVENTS)
  }

  /** Runs `run` once `delayMs` has passed on the store's clock (see settle). */
  schedule (run: () => void, delayMs = this.timing.transitionDelayMs): void {
    this.jobs.push({ due: this.clock.now() + delayMs, seq: this.seq++, run })
    this.jobs.sort((a, b) => a.due - b.due || a.seq - b.seq)
  }

  get pendingJobs (): number { return this.jobs.length }

  /**
   * Runs every transition that is due. Called before each request is handled, so the
   * state a client sees follows the clock without background timers (and a test clock
   * controls it exactly).
   */
  settle (): void {
    if (this.jobs.length === 0) return
    const now = this.clock.now()
    while (this.jobs.length > 0 && this.jobs[0].due <= now) {
      try {
        this.jobs.shift()!.run()
      } catch {
        // A completion the state file refused was rolled back with its job requeued (restore):
        // it is retried by a later request, and this one, which asked for nothing, goes on.
        return
      }
    }
  }

  /** Completes everything pending at once, including transitions that pending ones start. */
  completeAll (): number {
    let n = 0
    while (this.jobs.length > 0 && n < 100_000) {
      this.jobs.shift()!.run()
      n++
    }
    return n
  }
}
