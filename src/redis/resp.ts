// A minimal RESP2 client for the mock's own connection to each redis-server it runs (config,
// ACLs, FLUSHALL, INFO). Commands are pipelined in order; replies come back as plain values.
import { connect, type Socket } from 'node:net'

export type Reply = string | Status | number | null | Reply[] | Error

export class RespError extends Error { override name = 'RespError' }

/** A simple-string reply (`+OK`, `+PONG`), told apart from a bulk string: RS answers it as `true`. */
export class Status {
  constructor (readonly text: string) {}
  toString (): string { return this.text }
}

const encode = (args: readonly string[]): Buffer => {
  const parts = [`*${args.length}\r\n`]
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`)
  return Buffer.from(parts.join(''))
}

/** One reply parsed from `buf` at `at`: [value, next offset], or undefined when incomplete. */
export function parseReply (buf: Buffer, at = 0): [Reply, number] | undefined {
  const eol = buf.indexOf('\r\n', at)
  if (eol === -1) return undefined
  const type = String.fromCharCode(buf[at])
  const line = buf.toString('utf8', at + 1, eol)
  const next = eol + 2
  switch (type) {
    case '+': return [new Status(line), next]
    case '-': return [new RespError(line), next]
    case ':': return [Number(line), next]
    case '$': {
      const len = Number(line)
      if (len < 0) return [null, next]
      if (buf.length < next + len + 2) return undefined
      return [buf.toString('utf8', next, next + len), next + len + 2]
    }
    case '*': {
      const n = Number(line)
      if (n < 0) return [null, next]
      const items: Reply[] = []
      let pos = next
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, pos)
        if (item === undefined) return undefined
        items.push(item[0])
        pos = item[1]
      }
      return [items, pos]
    }
    default: throw new RespError(`unexpected RESP type ${JSON.stringify(type)}`)
  }
}

interface Pending { resolve: (r: Reply) => void, reject: (e: Error) => void }

export class RespClient {
  private readonly socket: Socket
  private buf: Buffer = Buffer.alloc(0)
  private readonly pending: Pending[] = []
  private closedWith?: Error

  private constructor (socket: Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    const fail = (e: Error): void => {
      this.closedWith ??= e
      for (const p of this.pending.splice(0)) p.reject(this.closedWith)
    }
    socket.on('error', fail)
    socket.on('close', () => fail(new Error('connection closed')))
  }

  /** Connects and authenticates as `user`; rejects on refusal or a wrong password. */
  static async open (host: string, port: number, user: string, password: string, timeoutMs = 2000): Promise<RespClient> {
    const socket = connect({ host, port })
    socket.setNoDelay(true)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { socket.destroy(); reject(new Error('connect timeout')) }, timeoutMs)
      socket.once('connect', () => { clearTimeout(timer); resolve() })
      socket.once('error', e => { clearTimeout(timer); reject(e) })
    })
    const client = new RespClient(socket)
    await client.call('AUTH', user, password)
    return client
  }

  get closed (): boolean { return this.closedWith !== undefined }

  /** Sends one command; a Redis error reply rejects with RespError. */
  async call (...args: string[]): Promise<Reply> {
    if (this.closedWith !== undefined) throw this.closedWith
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject })
      this.socket.write(encode(args))
    })
    if (reply instanceof Error) throw reply
    return reply
  }

  close (): void { this.socket.destroy() }

  private receive (chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    let at = 0
    for (;;) {
      const parsed = this.buf.length > at ? parseReply(this.buf, at) : undefined
      if (parsed === undefined) break
      at = parsed[1]
      this.pending.shift()?.resolve(parsed[0])
    }
    this.buf = this.buf.subarray(at)
  }
}
