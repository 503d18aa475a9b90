// The command as users run it: `node dist/cli.js` in a child process, ready once it prints its
// ready line (plain, or inside a JSON log record).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

/** On 127.0.0.1, a free port, warnings only: what most tests start with. */
export const LOCAL = ['--host', '127.0.0.1', '--port', '0', '--log-level', 'warn']

export interface CliProcess {
  child: ChildProcessWithoutNullStreams
  /** the ready line and the port in it; rejects if the command exits first */
  ready: Promise<{ port: number, line: string }>
  exited: Promise<{ code: number | null, at: number }>
  stderr(): string
  stdout(): string
}

/**
 * `node dist/cli.js ARGS` with ENV added to this process's environment. BARE: without the test
 * runner's NODE_OPTIONS (its coverage hooks, which it adds to every node it sees spawned and which
 * load before the command's first line), through a shell that clears them.
 */
export function spawnCli (args: string[], env: Record<string, string> = {}, nodeArgs: string[] = [], { bare = false } = {}): CliProcess {
  const argv = [process.execPath, ...nodeArgs, cliPath, ...args]
  const child = bare
    ? spawn('/bin/sh', ['-c', 'NODE_OPTIONS= exec "$@"', 'sh', ...argv], { env: { ...process.env, ...env } })
    : spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env } })
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const exited = new Promise<{ code: number | null, at: number }>(resolve => child.on('exit', code => resolve({ code, at: performance.now() })))
  let out = ''
  const ready = new Promise<{ port: number, line: string }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const complete = out.split('\n').slice(0, -1) // a line may arrive in pieces
      const line = complete.find(l => /ready on https:\/\/[^:]+:\d+/.test(l))
      if (line !== undefined) resolve({ port: Number(/ready on https:\/\/[^:]+:(\d+)/.exec(line)![1]), line })
    })
    void exited.then(({ code }) => reject(new Error(`exited ${code} before it was ready: ${err}`)))
  })
  return { child, ready, exited, stderr: () => err, stdout: () => out }
}
