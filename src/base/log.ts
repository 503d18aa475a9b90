// The mock's own log: pino JSON lines, or short text lines in a terminal (log-format.ts). Fastify
// runs without a logger: with one it sets up a child logger and response listeners on every
// request (~10 % of a small GET) although request logging is off. pino itself is loaded when
// the first line at an enabled level is written: most runs log one ready line, or nothing.
import { createRequire } from 'node:module'
import type { DestinationStream, Logger, LoggerOptions } from 'pino'

/** `false`: silent; `true`: info to stdout; else pino options, with an optional output stream. */
export type LogOptions = boolean | (LoggerOptions & { stream?: DestinationStream | { write(s: string): void } })

type Write = (obj: object, msg: string) => void
export interface Log {
  error: Write
  warn: Write
  info: Write
  debug: Write
  /** whether lines at LEVEL are written */
  enabled(level: string): boolean
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const require = createRequire(import.meta.url)

export function createLog (options: LogOptions | undefined): Log {
  const opts = options === undefined || options === false ? { level: 'silent' } : options === true ? {} : options
  const threshold = LEVELS[opts.level ?? 'info'] ?? Infinity
  let logger: Logger | undefined
  const load = (): Logger => {
    const { stream, ...rest } = opts
    const pino = require('pino') as (o: LoggerOptions, s?: DestinationStream) => Logger
    return pino(rest, stream as DestinationStream | undefined)
  }
  const at = (level: 'error' | 'warn' | 'info' | 'debug'): Write => (obj, msg) => {
    if (LEVELS[level] >= threshold) (logger ??= load())[level](obj, msg)
  }
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), enabled: level => (LEVELS[level] ?? 0) >= threshold }
}
