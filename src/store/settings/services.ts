// The processes of the (single, local) node: GET/POST /v1/local/services, POST /v1/services
// (docs/rs-api-notes.md §5.14). Optional services run while services_configuration enables them; a
// stop/start/restart changes the process only, not the configuration.
import type { Core, Json, ServiceState, State } from '../kernel/index.js'
import { SERVICES, SERVICES_OFF_BY_DEFAULT } from '../../schemas/settings.js'

export type { ServiceState } from '../kernel/index.js'

// Processes every node runs whatever the configuration says.
const CORE_PROCESSES = ['ccs', 'cnm_exec', 'cnm_http', 'dmcproxy', 'envoy', 'heartbeatd', 'metrics_exporter', 'redis_mgr', 'resource_mgr', 'saslauthd']
export const ALL_SERVICES: readonly string[] = [...CORE_PROCESSES, ...SERVICES].sort()
const EXPORTER = 'metrics_exporter'

const DAY = 86_400

function uptime (seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const hms = `${Math.floor(s % DAY / 3600)}:${String(Math.floor(s % 3600 / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
  const days = Math.floor(s / DAY)
  return days === 0 ? hms : `${days} day${days === 1 ? '' : 's'}, ${hms}`
}

const configured = (state: State, name: string): boolean => {
  const config = state.settings.services_configuration?.[name] as Json | undefined
  return (config?.operating_mode ?? (SERVICES_OFF_BY_DEFAULT.includes(name) ? 'disabled' : 'enabled')) === 'enabled'
}

/** services_configuration changed: a service switched on starts now, one switched off stops. */
export function serviceModeChanged (old: Json, next: Json, core: Core): void {
  for (const name of SERVICES) {
    const was = (old[name] as Json | undefined)?.operating_mode
    const now = (next[name] as Json | undefined)?.operating_mode
    if (was === now) continue
    core.state.serviceStates[name] = { status: now === 'enabled' ? 'RUNNING' : 'STOPPED', start_time: core.nowIso() }
  }
}

export class Services {
  private readonly listeners: Array<() => void> = []

  constructor (private readonly core: Core) {}

  /** Called after an operation changed a process (before the change is committed). */
  onOperated (listener: () => void): void { this.listeners.push(listener) }

  /** GET /v1/local/services */
  list (): Json {
    const now = this.core.now()
    const out: Json = {}
    for (const name of ALL_SERVICES) {
      const s = this.state(name)
      out[name] = { start_time: s.start_time, status: s.status, uptime: s.status === 'STOPPED' ? '0:00:00' : uptime((now - Date.parse(s.start_time)) / 1000) }
    }
    return out
  }

  /** POST /v1/local/services and /v1/services: per service, whether the operation ran. */
  operate (operation: 'start' | 'stop' | 'restart', asked: string[]): Record<string, boolean> {
    const { state } = this.core
    const answer: Record<string, boolean> = {}
    let changed = false
    // A restart takes the metrics exporter along, which reads every process (the page's example
    // answers a restart of alert_mgr with both).
    const names = operation === 'restart' && asked.some(n => ALL_SERVICES.includes(n)) && !asked.includes(EXPORTER) ? [...asked, EXPORTER] : asked
    for (const name of names) {
      if (!ALL_SERVICES.includes(name)) {
        answer[name] = false
        continue
      }
      answer[name] = true
      const current = this.state(name)
      if (operation === 'stop') {
        if (current.status === 'STOPPED') continue
        state.serviceStates[name] = { status: 'STOPPED', start_time: current.start_time }
      } else {
        if (operation === 'start' && current.status !== 'STOPPED') continue
        state.serviceStates[name] = { status: operation === 'start' ? 'STARTING' : 'RESTARTING', start_time: this.core.nowIso() }
        // A transient status, then running: looked up by name when due (the state may have been swapped).
        this.core.schedule(() => this.settleService(name))
      }
      changed = true
    }
    if (changed) {
      this.core.log('services_operation', { operation, services: names.filter(n => answer[n]).join(',') })
      for (const l of this.listeners) l()
      this.core.changed()
    }
    return answer
  }

  /** Whether the process answers now (a starting one does not yet). */
  running (name: string): boolean { return this.state(name).status === 'RUNNING' }

  private settleService (name: string): void {
    const s = this.core.state.serviceStates[name]
    if (s === undefined || (s.status !== 'STARTING' && s.status !== 'RESTARTING')) return
    s.status = 'RUNNING'
    this.core.changed()
  }

  private state (name: string): ServiceState {
    const { state } = this.core
    const set = state.serviceStates[name]
    if (set !== undefined) return set
    const since = String(state.cluster.created_time ?? this.core.nowIso())
    return { status: CORE_PROCESSES.includes(name) || configured(state, name) ? 'RUNNING' : 'STOPPED', start_time: since }
  }
}
