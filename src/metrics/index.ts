// The metrics exporter's place in a running mock: which port it takes, one listener per node,
// and node failures stopping it with the node's API (docs/metrics.md).
import type { Store } from '../store/index.js'
import { ConfigError } from '../base/errors.js'
import type { MockControl } from '../control/index.js'
import { startExporter, type Exporter } from './server.js'
import type { LiveTotals } from './scene.js'

export const RS_METRICS_PORT = 8070
export const RS_API_PORT = 9443

/** --metrics-port: a port (0: a free one), `off`, or `auto` (below). */
export type MetricsPortSetting = number | 'off' | 'auto'

/** Parses --metrics-port; undefined for a value that is none of `auto`, `off` or 0-65535. */
export function parseMetricsPort (raw: string): MetricsPortSetting | undefined {
  const v = raw.trim().toLowerCase()
  if (v === 'auto' || v === 'off') return v
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) return undefined
  return Number(v)
}

/**
 * The port to listen on, or undefined for none. `auto` is RS's 8070 beside the API's default
 * 9443, and a free port beside any other API port: two mocks that differ only in --port both start.
 */
export function metricsPort (setting: MetricsPortSetting, apiPort: number): number | undefined {
  if (setting === 'off') return undefined
  if (setting === 'auto') return apiPort === RS_API_PORT ? RS_METRICS_PORT : 0
  return setting
}

export interface Exporters {
  readonly list: readonly Exporter[]
  close(): Promise<void>
}

export interface ExportersSetup {
  store: Store
  control: MockControl
  tls: { cert: string, key: string }
  /** the first node's port (0: each a free one); the others follow, or share it on --node-addresses */
  port: number
  host: string
  nodeAddresses?: readonly string[]
  nodes: ReadonlyArray<{ uid: number }>
  live?: (uid: number) => LiveTotals | undefined
}

/** One exporter per node listener; a node taken down (control API) takes its exporter along. */
export async function startExporters (s: ExportersSetup): Promise<Exporters> {
  const list: Exporter[] = []
  const urlOf = (uid: number): string | undefined => list.find(e => e.uid === uid)?.url
  const addresses = s.nodeAddresses ?? []
  try {
    for (const [i, { uid }] of s.nodes.entries()) {
      const port = s.port === 0 || addresses.length > 0 ? s.port : s.port + i
      const host = addresses[i] ?? s.host
      try {
        list.push(await startExporter({ store: s.store, tls: s.tls, nodeUid: uid, live: s.live, urlOf }, port, host))
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e
        const why = code === 'EADDRINUSE' ? 'the port is already in use' : 'permission denied'
        throw new ConfigError(`Cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port} for the metrics exporter: ${why} (choose another --metrics-port, or --metrics-port off).`)
      }
    }
  } catch (e) {
    await Promise.all(list.map(x => x.close()))
    throw e
  }
  const previous = s.control.switchListener
  s.control.switchListener = async (uid, up) => {
    await previous?.(uid, up)
    await list.find(x => x.uid === uid)?.setUp(up)
  }
  return { list, close: async () => { await Promise.all(list.map(x => x.close())) } }
}
