// Database statistics from the servers' INFO: samples of the counters taken every poll, turned
// into per-second rates over a stats bucket, like RS's own per-interval metrics.
import type { Metrics } from '../store/monitoring/index.js'

export interface InfoSample {
  t: number
  commands: number
  hits: number
  misses: number
  keys: number
  expires: number
  usedMemory: number
  clients: number
  connectionsReceived: number
  expired: number
  evicted: number
  netIn: number
  netOut: number
}

// 10 minutes of 1-second samples: enough for the 1sec and 10sec intervals and the last 5min.
const KEEP = 600

export function parseInfo (text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':')
    if (at > 0 && !line.startsWith('#')) out[line.slice(0, at)] = line.slice(at + 1)
  }
  return out
}

/** One sample from INFO's text; `own` commands (the mock's) and connections are left out. */
export function sampleOf (info: string, t: number, own: number): InfoSample {
  const f = parseInfo(info)
  const n = (k: string): number => Number(f[k] ?? 0) || 0
  let keys = 0
  let expires = 0
  for (const [k, v] of Object.entries(f)) {
    if (!/^db\d+$/.test(k)) continue
    keys += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0)
    expires += Number(/expires=(\d+)/.exec(v)?.[1] ?? 0)
  }
  return {
    t,
    commands: Math.max(0, n('total_commands_processed') - own),
    hits: n('keyspace_hits'),
    misses: n('keyspace_misses'),
    keys,
    expires,
    usedMemory: n('used_memory'),
    clients: Math.max(0, n('connected_clients') - 1),
    connectionsReceived: Math.max(0, n('total_connections_received') - 1),
    expired: n('expired_keys'),
    evicted: n('evicted_keys'),
    netIn: n('total_net_input_bytes'),
    netOut: n('total_net_output_bytes')
  }
}

export class SampleHistory {
  private readonly samples: InfoSample[] = []
  /** the fields of the last INFO, for ?extra_info_keys= */
  info?: Record<string, string>

  add (s: InfoSample): void {
    this.samples.push(s)
    if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP)
  }

  get latest (): InfoSample | undefined { return this.samples.at(-1) }

  private atOrBefore (t: number): InfoSample | undefined {
    for (let i = this.samples.length - 1; i >= 0; i--) if (this.samples[i].t <= t) return this.samples[i]
    return undefined
  }

  /**
   * The metrics of the bucket [start, start + len) the samples can tell, or undefined when the
   * bucket ended before the first sample (the model's values stand for that past).
   */
  metrics (start: number, len: number): Metrics | undefined {
    const end = this.atOrBefore(start + len) ?? undefined
    if (end === undefined) return undefined
    let begin = this.atOrBefore(start)
    if (begin === undefined || begin === end) begin = this.samples[Math.max(0, this.samples.indexOf(end) - 1)]
    const secs = (end.t - begin.t) / 1000
    const rate = (k: keyof InfoSample): number => secs <= 0 ? 0 : Math.round(Math.max(0, end[k] - begin[k]) / secs * 1000) / 1000
    const total = rate('commands')
    const hits = rate('hits')
    const misses = rate('misses')
    const reads = Math.min(total, hits + misses)
    return {
      conns: end.clients,
      egress_bytes: rate('netOut'),
      evicted_objects: rate('evicted'),
      expired_objects: rate('expired'),
      ingress_bytes: rate('netIn'),
      instantaneous_ops_per_sec: total,
      no_of_expires: end.expires,
      no_of_keys: end.keys,
      other_req: 0,
      other_res: 0,
      read_hits: hits,
      read_misses: misses,
      read_req: reads,
      read_res: reads,
      total_connections_received: rate('connectionsReceived'),
      total_req: total,
      total_res: total,
      used_memory: end.usedMemory,
      write_req: Math.round((total - reads) * 1000) / 1000,
      write_res: Math.round((total - reads) * 1000) / 1000
    }
  }
}
