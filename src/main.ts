// The command's body (cli.ts loads it): read the config, start the server, print one ready
// line, close on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hostname } from 'node:os'
import { ConfigError, helpText, loadConfig } from './config.js'
import { startServer } from './server.js'
import { resolveLogFormat } from './base/log-format.js'
import { packageRoot } from './paths.js'
import { watchParents } from './parent-watch.js'
import { holdYoungGeneration, youngGenerationBytes } from './base/young-generation.js'
import { keepTickShapes } from './base/tick-shapes.js'
import { settleMemoryWhenIdle } from './base/settle-memory.js'
import { widenInliningBudget } from './base/inlining-budget.js'

const GRACE_MS = 800

export async function main (): Promise<void> {
  // V8's young generation stays at the size loading the modules gave it while the server starts
  const startedUp = holdYoungGeneration()
  const config = loadConfig()
  if (config === 'help') {
    process.stdout.write(helpText())
    return
  }
  if (config === 'version') {
    const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
    process.stdout.write(`${version}\n`)
    return
  }
  const server = await startServer(config)
  if (config.portFile !== undefined) writePortFile(config.portFile, server.port, () => server.close())
  const login = config.freshNode
    ? 'fresh node: bootstrap it with POST /v1/bootstrap/create_cluster'
    : `login ${config.adminEmail} / ${config.adminPassword}`
  const nodes = server.nodes.length > 1 ? `; ${server.nodes.length} nodes: ${server.nodes.map(n => `${n.uid} ${n.url}`).join(', ')}` : ''
  const metrics = server.metrics.length === 0 ? '' : `; metrics ${server.metrics[0].url}/v2`
  const ready = `redis-enterprise-mock ready on ${server.url} (${login}${nodes}${metrics})`
  const saved = server.stateFile === undefined ? {} : { state_file: server.stateFile.path, state_loaded: server.stateFile.loaded }
  // The ready line is always printed (scripts wait for it), even at silent, where it is the only
  // output. JSON logs stay all JSON: it is a record like pino's, at info, whatever the level.
  if (config.logLevel !== 'silent' && resolveLogFormat(config.logFormat) === 'json') {
    if (server.app.mockLog.enabled('info')) server.app.mockLog.info({ url: server.url, ...(metrics === '' ? {} : { metrics_url: `${server.metrics[0].url}/v2` }), ...(nodes === '' ? {} : { nodes: server.nodes.map(n => ({ uid: n.uid, url: n.url })) }), ...saved }, ready)
    else process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), url: server.url, ...saved, msg: ready })}\n`)
  } else {
    process.stdout.write(`${ready}\n`)
  }
  startedUp()
  const tickShapes = keepTickShapes()
  const inliningBudget = widenInliningBudget()
  const log = server.app.mockLog
  if (log.enabled('debug')) log.debug({ young_generation_bytes: youngGenerationBytes(), rss_bytes: process.memoryUsage.rss(), tick_shapes_kept: tickShapes.length, inlining_budget: inliningBudget ?? null }, 'started: V8\'s young generation may grow again')
  // after the tick objects are kept: the collection would otherwise take their maps
  const stopSettling = settleMemoryWhenIdle(log)
  // docker stop sends SIGTERM: requests received whole finish (for up to GRACE_MS), the rest is
  // cut at once (app.ts), then the process exits 0.
  closeWithGrace({ delay: GRACE_MS + 1000, logger: false }, async ({ err }) => {
    stopSettling()
    if (err !== undefined) server.app.mockLog.error({ err }, 'closing after an unexpected error')
    const grace = setTimeout(() => {
      const n = server.nodes.reduce((sum, node) => sum + node.app.mockConnections.cutAll(), 0)
      if (n > 0) server.app.mockLog.warn({ connections: n }, `closing: cut ${n} connections whose requests were still running after ${GRACE_MS} ms`)
    }, GRACE_MS)
    await server.close()
    clearTimeout(grace)
    if (config.portFile !== undefined) rmSync(config.portFile, { force: true })
  })
  // `npm start`/`npx` killed: npm goes without passing the signal on, so the server notices itself.
  watchParents(pid => {
    server.app.mockLog.info({ parent_pid: pid }, `the process that started it (pid ${pid}) is gone: closing`)
    process.kill(process.pid, 'SIGTERM')
  })
}

/**
 * --port-file: the port actually listened on (--port 0, --port 9600, RS_MOCK_PORT: whichever gave
 * it), for scripts and the Docker HEALTHCHECK. Written whole (rename) so a reader never sees half.
 */
function writePortFile (path: string, port: number, close: () => Promise<void>): void {
  try {
    writeFileSync(`${path}.tmp`, `${port}\n`)
    renameSync(`${path}.tmp`, path)
  } catch (e) {
    void close()
    throw new ConfigError(`Cannot write --port-file ${path}: ${(e as Error).message}.`)
  }
}

// Why the address cannot be listened on, by the error's code: a configuration error (exit 2).
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (choose another --port)',
  EACCES: 'permission denied (ports below 1024 need privileges: choose another --port)',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s (check --host)',
  EAFNOSUPPORT: 'this machine does not support that address family (check --host)',
  ENOTFOUND: 'the host name does not resolve (check --host)',
  EAI_AGAIN: 'the host name does not resolve (check --host)'
}

/** The one sentence for an error at start-up, and the exit status: 2 for configuration, else 1. */
export function describeFailure (e: unknown): { message: string, status: number } {
  if (e instanceof ConfigError) return { message: e.message, status: 2 }
  const err = e as NodeJS.ErrnoException & { address?: string, port?: number, hostname?: string }
  const why = LISTEN_ERRORS[err.code ?? '']
  if (why !== undefined) {
    const address = err.hostname ?? err.address ?? 'the address'
    const where = err.port === undefined ? address : `${address.includes(':') ? `[${address}]` : address}:${err.port}`
    return { message: `Cannot listen on ${where}: ${why}.`, status: 2 }
  }
  // Node's TLS layer refusing the certificate or key (tls.ts checks the usual cases first).
  if (err.code?.startsWith('ERR_OSSL') === true) return { message: `The TLS certificate or key cannot be used: ${err.message.replace(/\.$/, '')}.`, status: 2 }
  return { message: `Start-up failed: ${err.message}`, status: 1 }
}

export function fail (e: unknown): void {
  const { message, status } = describeFailure(e)
  process.stderr.write(`redis-enterprise-mock: ${message}\n`)
  process.exitCode = status
}
