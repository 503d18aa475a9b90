// What every part of the store shares: the state, the clock, the change counter,
// the event log and the queue of asynchronous transitions.
import { isoSeconds, type Clock, type Json, type State } from './state.js'

export interface Timing {
  /** ms from a request to its async completion (bdb pending → active, bootstrap, actions) */
  transitionDelayMs: number
}

interface Job { due: number, seq: number, run: () => void }

export class Core {
  readonly state: State
  readonly clock: Clock
  readonly timing: Timing
  private jobs: Job[] = []
  private seq = 0
  private readonly changeListeners: Array<() => void> = []

  constructor (state: State, clock: Clock, timing: Timing) {
    this.state = state
    this.clock = clock
    this.timing = timing
  }

  /** Every state change goes through here: real RS bumps cluster-state-id on each. */
  changed (): void {
    this.state.clusterStateId++
    for (const l of this.changeListeners) l()
  }

  /** Called after each change (persistence hooks in here). */
  onChange (listener: () => void): void { this.changeListeners.push(listener) }

  now (): number { return this.clock.now() }
  nowIso (): string { return isoSeconds(this.clock.now()) }

  /** Appends an event to /v1/logs in the real shape (DECISIONS #18). */
  log (type: string, fields: Json = {}, severity = 'INFO'): void {
    this.state.events.push({ time: this.nowIso(), type, severity, ...fields })
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
    const now = this.clock.now()
    while (this.jobs.length > 0 && this.jobs[0].due <= now) this.jobs.shift()!.run()
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
