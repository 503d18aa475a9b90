// Is a TCP port already listened on by some other process of this host? Read synchronously from
// /proc/net/tcp{,6} on Linux (a create must answer port_unavailable before anything changes);
// elsewhere nothing is known beforehand and a server that cannot bind shows as unavailable.
import { readdirSync, readlinkSync, readFileSync } from 'node:fs'

const LISTEN = '0A'

/** The listening sockets of /proc/net/tcp and tcp6, each line's columns; undefined where neither can be read. */
function listeningSockets (): string[][] | undefined {
  const out: string[][] = []
  let readAny = false
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'latin1')
    } catch {
      continue
    }
    readAny = true
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length > 9 && cols[3] === LISTEN) out.push(cols)
    }
  }
  return readAny ? out : undefined
}

const portOf = (cols: string[]): number => parseInt(cols[1].split(':')[1], 16)

export function listeningPorts (): Set<number> | undefined {
  const sockets = listeningSockets()
  return sockets === undefined ? undefined : new Set(sockets.map(portOf))
}

/**
 * Whether the socket listening on PORT belongs to process PID: true, false (not yet, or
 * another process's), or undefined where /proc cannot say (then nothing is known).
 */
export function listenerOf (pid: number, port: number): boolean | undefined {
  const sockets = listeningSockets()
  if (sockets === undefined) return undefined
  const inodes = new Set(sockets.filter(cols => portOf(cols) === port).map(cols => cols[9]))
  if (inodes.size === 0) return false
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return undefined // another user's process, or no per-process view: nothing known
  }
  return fds.some(fd => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '')
    } catch {
      return false
    }
  })
}
