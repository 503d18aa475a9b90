// The one reader of process.argv and process.env. Every option is a CLI flag with an
// environment twin; flags win over the environment, which wins over the default.
import { parseArgs } from 'node:util'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from './base/errors.js'
import { badAddress } from './base/address.js'
import { fixturesRoot } from './paths.js'
import { DEFAULT_LIMITS } from './http/transport.js'
import { DEFAULT_JOURNAL_SIZE } from './control/journal.js'
import { DEFAULT_MAX_FAULTS } from './control/faults.js'
import { DEFAULT_TRANSITION_DELAY_MS } from './store/index.js'
import { DEFAULT_REDIS_MAX } from './redis/binary.js'
import { MAX_NODES } from './store/topology/index.js'
import type { PortRange } from './store/databases/index.js'
import { parseMetricsPort } from './metrics/index.js'

export const defaultFixturesDir = join(fixturesRoot, 'default')

type Kind = 'string' | 'integer' | 'boolean' | 'list'

interface OptionSpec {
  readonly flag: string
  readonly env: string
  readonly kind: Kind
  readonly help: string
  readonly default?: string | number | boolean | readonly string[]
  readonly min?: number
  readonly max?: number
  readonly choices?: readonly string[]
}

export const optionSpecs = {
  port: { flag: 'port', env: 'RS_MOCK_PORT', kind: 'integer', default: 9443, min: 0, max: 65535, help: 'HTTPS port (0 = any free port)' },
  host: { flag: 'host', env: 'RS_MOCK_HOST', kind: 'string', default: '::', help: 'address to listen on; :: is every IPv6 and IPv4 address, 0.0.0.0 every IPv4 one' },
  portFile: { flag: 'port-file', env: 'RS_MOCK_PORT_FILE', kind: 'string', help: 'once listening, write the HTTPS port to this file (removed at exit): scripts and the Docker health check read it' },
  certsDir: { flag: 'certs-dir', env: 'RS_MOCK_CERTS_DIR', kind: 'string', default: 'certs', help: 'where the generated certificate is kept (cert.pem, key.pem)' },
  cert: { flag: 'cert', env: 'RS_MOCK_CERT', kind: 'string', help: 'PEM certificate to serve instead of a generated one (needs --key)' },
  key: { flag: 'key', env: 'RS_MOCK_KEY', kind: 'string', help: 'PEM private key of --cert' },
  certNames: { flag: 'cert-names', env: 'RS_MOCK_CERT_NAMES', kind: 'list', default: [], help: 'extra DNS names or IPs for the generated certificate (comma-separated)' },
  nodes: { flag: 'nodes', env: 'RS_MOCK_NODES', kind: 'integer', default: 1, min: 1, max: MAX_NODES, help: 'nodes in the cluster, each its own HTTPS listener: consecutive ports from --port, or --node-addresses' },
  nodeAddresses: { flag: 'node-addresses', env: 'RS_MOCK_NODE_ADDRESSES', kind: 'list', default: [], help: 'one address per node, all on --port (comma-separated, e.g. 127.0.0.1,127.0.0.2,127.0.0.3); sets --nodes' },
  fixtures: { flag: 'fixtures', env: 'RS_MOCK_FIXTURES', kind: 'string', default: defaultFixturesDir, help: 'directory of fixture JSON files the cluster starts from' },
  adminEmail: { flag: 'admin-email', env: 'RS_MOCK_ADMIN_EMAIL', kind: 'string', default: 'admin@redis.local', help: 'login (email) of the admin user' },
  adminPassword: { flag: 'admin-password', env: 'RS_MOCK_ADMIN_PASSWORD', kind: 'string', default: 'admin', help: 'password of the admin user' },
  freshNode: { flag: 'fresh-node', env: 'RS_MOCK_FRESH_NODE', kind: 'boolean', default: false, help: 'start as a node that is not in a cluster yet (bootstrap it over the API)' },
  logLevel: { flag: 'log-level', env: 'RS_MOCK_LOG_LEVEL', kind: 'string', default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], help: 'log level' },
  logFormat: { flag: 'log-format', env: 'RS_MOCK_LOG_FORMAT', kind: 'string', default: 'auto', choices: ['auto', 'json', 'text'], help: 'logs as JSON lines (pino) or short text lines; auto: text when stdout is a terminal' },
  scenario: { flag: 'scenario', env: 'RS_MOCK_SCENARIO', kind: 'string', help: 'start from a scenario: default, fresh-node, empty-cluster, large, or a fixture directory' },
  stateFile: { flag: 'state-file', env: 'RS_MOCK_STATE_FILE', kind: 'string', help: 'keep the state in this JSON file: loaded at start, saved durably before each change is answered' },
  transitionDelayMs: { flag: 'transition-delay-ms', env: 'RS_MOCK_TRANSITION_DELAY_MS', kind: 'integer', default: DEFAULT_TRANSITION_DELAY_MS, min: 0, max: 86_400_000, help: 'ms before async work completes (bdb pending → active, bootstrap, actions)' },
  control: { flag: 'control', env: 'RS_MOCK_CONTROL', kind: 'boolean', default: true, help: 'serve the /_mock/ test-control API (--no-control: only /_mock/health)' },
  controlToken: { flag: 'control-token', env: 'RS_MOCK_CONTROL_TOKEN', kind: 'string', help: 'token for the /_mock/ API (Authorization: Bearer or x-mock-control-token), besides the admin login' },
  journalSize: { flag: 'journal-size', env: 'RS_MOCK_JOURNAL_SIZE', kind: 'integer', default: DEFAULT_JOURNAL_SIZE, min: 0, max: 1_000_000, help: 'requests kept in the /_mock/journal (0: none)' },
  maxFaults: { flag: 'max-faults', env: 'RS_MOCK_MAX_FAULTS', kind: 'integer', default: DEFAULT_MAX_FAULTS, min: 1, max: 10_000, help: 'fault rules that may be active at once' },
  bodyLimit: { flag: 'body-limit', env: 'RS_MOCK_BODY_LIMIT', kind: 'integer', default: DEFAULT_LIMITS.bodyLimit, min: 1024, max: 1_073_741_824, help: 'largest request body in bytes (413 request_too_large above it)' },
  maxHeaderSize: { flag: 'max-header-size', env: 'RS_MOCK_MAX_HEADER_SIZE', kind: 'integer', default: DEFAULT_LIMITS.maxHeaderSize, min: 1024, max: 1_048_576, help: 'largest request line plus headers in bytes (431 request_header_too_large above it)' },
  requestTimeoutMs: { flag: 'request-timeout-ms', env: 'RS_MOCK_REQUEST_TIMEOUT_MS', kind: 'integer', default: DEFAULT_LIMITS.requestTimeout, min: 0, max: 3_600_000, help: 'ms a client has to send a whole request, 0: no limit (408 request_timeout after it)' },
  keepAliveTimeoutMs: { flag: 'keep-alive-timeout-ms', env: 'RS_MOCK_KEEP_ALIVE_TIMEOUT_MS', kind: 'integer', default: DEFAULT_LIMITS.keepAliveTimeout, min: 1, max: 3_600_000, help: 'ms an idle keep-alive connection stays open' },
  handshakeTimeoutMs: { flag: 'handshake-timeout-ms', env: 'RS_MOCK_HANDSHAKE_TIMEOUT_MS', kind: 'integer', default: DEFAULT_LIMITS.handshakeTimeout, min: 100, max: 600_000, help: 'ms a client has to complete the TLS handshake before its connection is closed' },
  maxConnections: { flag: 'max-connections', env: 'RS_MOCK_MAX_CONNECTIONS', kind: 'integer', default: DEFAULT_LIMITS.maxConnections, min: 1, max: 1_000_000, help: 'connections open at once, TLS handshakes included; more are closed at once (logged)' },
  redis: { flag: 'redis', env: 'RS_MOCK_REDIS', kind: 'string', default: 'off', help: 'run a real redis-server for each database: auto (the one on PATH, if any), off, or the path of a redis-server' },
  redisMax: { flag: 'redis-max', env: 'RS_MOCK_REDIS_MAX', kind: 'integer', default: DEFAULT_REDIS_MAX, min: 1, max: 1000, help: 'most databases with a redis-server (406 insufficient_resources past it)' },
  metricsPort: { flag: 'metrics-port', env: 'RS_MOCK_METRICS_PORT', kind: 'string', default: 'auto', help: 'HTTPS port of the Prometheus metrics exporter (/v2, /metrics): a port, 0 = any free port, off, or auto = 8070 with the default --port, else a free port' },
  redisHost: { flag: 'redis-host', env: 'RS_MOCK_REDIS_HOST', kind: 'string', default: '127.0.0.1', help: 'address the redis-servers listen on (endpoints report it; 0.0.0.0 reports 127.0.0.1)' },
  dbPorts: { flag: 'db-ports', env: 'RS_MOCK_DB_PORTS', kind: 'string', default: '10000-19999', help: 'the ports databases get, FIRST-LAST, or auto: a free block of 100 of its own, so mocks side by side never collide' }
} as const satisfies Record<string, OptionSpec>

type Specs = typeof optionSpecs
type ValueOf<S extends OptionSpec> =
  S['kind'] extends 'integer' ? number
    : S['kind'] extends 'boolean' ? boolean
      : S['kind'] extends 'list' ? readonly string[]
        : string
export type Config = { readonly [K in keyof Specs]: Specs[K] extends { default: unknown } ? ValueOf<Specs[K] & OptionSpec> : ValueOf<Specs[K] & OptionSpec> | undefined }

export { ConfigError }

const TRUE = new Set(['1', 'true', 'yes', 'on'])
const FALSE = new Set(['0', 'false', 'no', 'off', ''])

function convert (spec: OptionSpec, raw: string | boolean, source: string): unknown {
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw
      const v = raw.trim().toLowerCase()
      if (TRUE.has(v)) return true
      if (FALSE.has(v)) return false
      throw new ConfigError(`${source} must be true or false, not ${JSON.stringify(raw)}.`)
    }
    case 'integer': {
      const v = String(raw).trim()
      const n = Number(v)
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new ConfigError(`${source} must be a whole number from ${spec.min} to ${spec.max}, not ${JSON.stringify(raw)}.`)
      }
      return n
    }
    case 'list':
      return String(raw).split(',').map(s => s.trim()).filter(Boolean)
    default: {
      const v = String(raw)
      if (spec.choices && !spec.choices.includes(v)) {
        throw new ConfigError(`${source} must be one of ${spec.choices.join(', ')}, not ${JSON.stringify(raw)}.`)
      }
      return v
    }
  }
}

export function helpText (): string {
  const rows: Array<[string, string, string]> = Object.values(optionSpecs as Record<string, OptionSpec>).map(s => {
    const flag = s.kind === 'boolean' ? `--${s.default === true ? 'no-' : ''}${s.flag}` : `--${s.flag} <${s.kind === 'integer' ? 'n' : 'value'}>`
    const def = s.default === undefined || s.kind === 'boolean' || (Array.isArray(s.default) && s.default.length === 0)
      ? ''
      : ` (default: ${s.flag === 'fixtures' ? 'the bundled fixtures/default' : String(s.default)})`
    return [flag, s.env, `${s.help}${def}`]
  })
  const all: Array<[string, string, string]> = [['flag', 'environment', 'meaning'], ...rows, ['-h, --help', '', 'show this text'], ['--version', '', 'print the version']]
  const widths = [0, 1].map(i => Math.max(...all.map(r => r[i].length)))
  return [
    'Usage: redis-enterprise-mock [options]',
    '',
    'A fake Redis Enterprise Software cluster REST API over HTTPS.',
    '',
    ...all.map(([flag, env, help]) => `  ${flag.padEnd(widths[0])}  ${env.padEnd(widths[1])}  ${help}`),
    ''
  ].join('\n')
}

/** Reads argv and env into a frozen Config; throws ConfigError with one clear sentence. */
export function loadConfig (argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Config | 'help' | 'version' {
  const specs = optionSpecs as Record<string, OptionSpec>
  const options: Record<string, { type: 'string' | 'boolean', short?: string }> = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } }
  for (const s of Object.values(specs)) {
    options[s.flag] = { type: s.kind === 'boolean' ? 'boolean' : 'string' }
    if (s.kind === 'boolean') options[`no-${s.flag}`] = { type: 'boolean' }
  }
  // parseArgs reads `--port -1` as two options ("ambiguous"): a value that looks like a negative
  // number is the flag's value, as `--port=-1` is, so the range check can name the mistake.
  const args = argv.flatMap((a, i) => /^-\d/.test(a) && options[argv[i - 1]?.slice(2)]?.type === 'string' ? [] : /^--[^=]+$/.test(a) && options[a.slice(2)]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '') ? [`${a}=${argv[i + 1]}`] : [a])
  let parsed: ReturnType<typeof parseArgs>['values']
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (e) {
    throw new ConfigError(`${(e as Error).message.split('\n')[0].replace(/\.$/, '')}. Run with --help to list the options.`)
  }
  if (parsed.help) return 'help'
  if (parsed.version) return 'version'

  const out: Record<string, unknown> = {}
  for (const [key, s] of Object.entries(specs)) {
    const flagValue = parsed[s.flag] ?? (parsed[`no-${s.flag}`] ? false : undefined)
    const envValue = env[s.env]
    if (flagValue !== undefined) out[key] = convert(s, flagValue as string | boolean, `--${s.flag}`)
    else if (envValue !== undefined && envValue !== '') out[key] = convert(s, envValue, s.env)
    else out[key] = s.default
  }
  const config = out as Config
  if (!existsSync(config.fixtures) || !statSync(config.fixtures).isDirectory()) {
    throw new ConfigError(`The fixtures directory ${config.fixtures} does not exist.`)
  }
  if ((config.cert === undefined) !== (config.key === undefined)) {
    throw new ConfigError('--cert and --key must be given together.')
  }
  if (config.adminPassword === '') throw new ConfigError('--admin-password must not be empty.')
  if (config.scenario !== undefined && config.fixtures !== defaultFixturesDir) {
    throw new ConfigError('--scenario and --fixtures name the start state twice: give one of them.')
  }
  if (config.nodeAddresses.length > 0) {
    if (config.nodes !== 1 && config.nodes !== config.nodeAddresses.length) throw new ConfigError(`--nodes ${config.nodes} and --node-addresses (${config.nodeAddresses.length} addresses) disagree: give one of them.`)
    if (config.nodeAddresses.length > MAX_NODES) throw new ConfigError(`--node-addresses names more than ${MAX_NODES} nodes.`)
    const bad = badAddress(config.nodeAddresses)
    if (bad !== undefined) throw new ConfigError(`--node-addresses: '${bad}' is not an IP address or a host name.`)
    if (new Set(config.nodeAddresses).size !== config.nodeAddresses.length) throw new ConfigError('--node-addresses names an address twice.')
    out.nodes = config.nodeAddresses.length
  }
  if (parseMetricsPort(config.metricsPort) === undefined) throw new ConfigError(`--metrics-port must be auto, off or a whole number from 0 to 65535, not ${JSON.stringify(config.metricsPort)}.`)
  if (config.controlToken === '') throw new ConfigError('--control-token must not be empty.')
  parseDbPorts(config.dbPorts, '--db-ports')
  // written into every redis.conf as `bind` (src/redis/settings.ts quotes it too)
  if (badAddress([config.redisHost]) !== undefined) throw new ConfigError(`--redis-host: '${config.redisHost.slice(0, 100)}' is not an IP address or a host name.`)
  return Object.freeze(out) as Config
}

/** `FIRST-LAST` (or one port) → the range, `auto` → 'auto'; ConfigError otherwise. */
export function parseDbPorts (value: string, source = 'dbPorts'): PortRange | 'auto' {
  const v = value.trim()
  if (v === 'auto') return 'auto'
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(v)
  const first = Number(m?.[1])
  const last = Number(m?.[2] ?? m?.[1])
  if (m === null || first < 1024 || last > 65535 || first > last) {
    throw new ConfigError(`${source} must be auto or FIRST-LAST with 1024 <= FIRST <= LAST <= 65535 (e.g. 20000-20999), not ${JSON.stringify(value)}.`)
  }
  return { first, last }
}
