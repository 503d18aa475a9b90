// POST /v1/bdbs/{uid}/command (docs/differences.md: not in the public reference; a public Java
// admin client waits with it until a new database answers). The body {"command", "args"} runs on
// the database's redis-server with --redis; without it, the few commands the state can answer.
// The reply becomes JSON as RS makes it: a status reply (PONG, OK) `true`, strings, numbers, arrays.
import { bdbBusy, commandFailed, commandNotAllowed, commandNotSupported } from '../../base/errors.js'
import type { Json } from '../kernel/index.js'
import type { Bdbs } from './bdbs.js'
import type { Bdb } from '../../schemas/bdb.js'

/** What the state says of a database's server, for the commands answered without --redis. */
export interface ModelView { keys: number, info: Record<string, string | number> }

/** A reply as RS turns it into JSON; `status` marks a simple-string reply. */
export type CommandReply = string | number | null | boolean | CommandReply[] | { status: string } | { error: string }

// Commands that would block, leave, or reconfigure the connection they run on, or the server.
const REFUSED = new Set([
  'ACL', 'AUTH', 'BGREWRITEAOF', 'BGSAVE', 'BLMOVE', 'BLMPOP', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BZMPOP', 'BZPOPMAX', 'BZPOPMIN',
  'CLIENT', 'CLUSTER', 'CONFIG', 'DEBUG', 'FAILOVER', 'HELLO', 'MIGRATE', 'MODULE', 'MONITOR', 'PSUBSCRIBE', 'PSYNC', 'QUIT',
  'REPLCONF', 'REPLICAOF', 'RESET', 'SAVE', 'SELECT', 'SHUTDOWN', 'SLAVEOF', 'SSUBSCRIBE', 'SUBSCRIBE', 'SYNC', 'WAIT', 'WAITAOF', 'XREAD', 'XREADGROUP'
])

const json = (r: CommandReply): unknown => {
  if (Array.isArray(r)) return r.map(json)
  if (r !== null && typeof r === 'object') {
    if ('error' in r) throw commandFailed(r.error)
    return r.status === 'OK' || r.status === 'PONG' ? true : r.status
  }
  return r
}

export class BdbCommands {
  /** with --redis: runs a command on the database's server (src/redis/) */
  run?: (uid: number, args: string[]) => Promise<CommandReply>

  constructor (private readonly bdbs: Bdbs, private readonly model: (bdb: Bdb) => ModelView, private readonly now: () => number) {}

  async command (uid: number, body: { command: string, args?: Array<string | number> }): Promise<Json> {
    const bdb = this.bdbs.get(uid)
    if (bdb.status === 'pending' || bdb.status === 'delete-pending') throw bdbBusy(uid, bdb.status)
    const name = body.command.toUpperCase()
    if (REFUSED.has(name)) throw commandNotAllowed(name)
    const args = (body.args ?? []).map(String)
    const reply = this.run === undefined ? this.answer(bdb, name, args) : await this.run(uid, [name, ...args])
    return { response: json(reply) }
  }

  /** Without --redis: the commands the state can answer. */
  private answer (bdb: Bdb, name: string, args: string[]): CommandReply {
    switch (name) {
      case 'PING': return args.length === 0 ? { status: 'PONG' } : args[0]
      case 'ECHO': return args[0] ?? { error: "ERR wrong number of arguments for 'echo' command" }
      case 'DBSIZE': return this.model(bdb).keys
      case 'TIME': {
        const ms = this.now()
        return [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)]
      }
      case 'INFO': return Object.entries(this.model(bdb).info).map(([k, v]) => `${k}:${v}`).join('\r\n') + '\r\n'
      default: throw commandNotSupported(name)
    }
  }
}
