// The command's body (cli.ts loads it): read the config, start the server, print one ready
// line, close on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace'
import { ConfigError, helpText, loadConfig } from './config.js'
import { startServer } from './server.js'
import { resolveLogFormat } from './base/log-format.js'

export async function main (): Promise<void> {
  const config = loadConfig()
  if (config === 'help') {
    process.stdout.write(helpText())
    return
  }
  const server = await startServer(config)
  const login = config.freshNode
    ? 'fresh node: bootstrap it with POST /v1/bootstrap/create_cluster'
    : `login ${config.adminEmail} / ${config.adminPassword}`
  const ready = `redis-enterprise-mock ready on ${server.url} (${login})`
  const saved = server.stateFile === undefined ? {} : { state_file: server.stateFile.path, state_loaded: server.stateFile.loaded }
  // JSON logs stay all JSON (the ready line is a record with the same text); otherwise plain.
  if (resolveLogFormat(config.logFormat) === 'json' && ['trace', 'debug', 'info'].includes(config.logLevel)) {
    server.app.mockLog.info({ url: server.url, ...saved }, ready)
  } else {
    process.stdout.write(`${ready}\n`)
  }
  // docker stop sends SIGTERM: in-flight requests finish, idle keep-alive sockets close at once.
  closeWithGrace({ delay: 800, logger: false }, async ({ err }) => {
    if (err !== undefined) server.app.mockLog.error({ err }, 'closing after an unexpected error')
    await server.close()
  })
}

export function fail (e: unknown): void {
  const message = e instanceof ConfigError
    ? e.message
    : (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES'
        ? `Cannot listen: ${(e as Error).message}.`
        : `Start-up failed: ${(e as Error).message}`
  process.stderr.write(`redis-enterprise-mock: ${message}\n`)
  process.exitCode = e instanceof ConfigError ? 2 : 1
}
