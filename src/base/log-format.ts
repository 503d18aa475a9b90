// Logs are pino JSON lines (for Docker and log collectors), or in a terminal short text lines:
// a small formatter over pino's output stream, so pino-pretty is not a dependency.
import type { LogOptions } from './log.js'

export type LogFormat = 'json' | 'text'

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v'])

export function resolveLogFormat (format: string, isTTY = process.stdout.isTTY === true): LogFormat {
  return format === 'auto' ? (isTTY ? 'text' : 'json') : format === 'text' ? 'text' : 'json'
}

function brief (v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v
  if (v !== null && typeof v === 'object' && 'message' in v && typeof (v as Error).message === 'string') {
    const e = v as Error & { stack?: string }
    return JSON.stringify(e.stack ?? e.message)
  }
  return JSON.stringify(v)
}

/** One pino JSON line → `12:00:00.123 INFO message key=value ...`. */
export function textLine (json: string): string {
  let rec: Record<string, unknown>
  try {
    rec = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json
  }
  const time = new Date(typeof rec.time === 'number' ? rec.time : Date.now()).toISOString().slice(11, 23)
  const level = LEVELS[rec.level as number] ?? String(rec.level)
  const rest = Object.entries(rec).filter(([k]) => !SKIP.has(k)).map(([k, v]) => `${k}=${brief(v)}`)
  return [time, level.padEnd(5), String(rec.msg ?? ''), ...rest].join(' ').trimEnd() + '\n'
}

export function textStream (out: { write(s: string): unknown } = process.stdout): { write(s: string): void } {
  return { write: (chunk: string) => { for (const line of chunk.split('\n')) if (line !== '') out.write(textLine(line)) } }
}

export function loggerOptions (level: string, format: LogFormat): LogOptions {
  if (level === 'silent') return false
  return format === 'text' ? { level, stream: textStream() } : { level }
}
