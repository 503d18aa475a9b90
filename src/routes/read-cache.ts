// The serialized answers of reads that depend on nothing but the state and the URL, kept until
// the state's generation moves (every change, reset, import and rollback moves it). A client
// polling GET /v1/bdbs between changes gets the same bytes without a projection and a
// JSON.stringify per request. Bounded: in entries and in bytes; a body over a quarter of the
// byte budget is served but not kept.

export interface ReadCacheLimits {
  maxEntries: number
  maxBytes: number
}

export const DEFAULT_READ_CACHE: Readonly<ReadCacheLimits> = Object.freeze({ maxEntries: 256, maxBytes: 8 * 1024 * 1024 })

export class ReadCache {
  private generation = -1
  private readonly bodies = new Map<string, Buffer>()
  private bytes = 0

  constructor (private readonly current: () => number, private readonly limits: ReadCacheLimits = DEFAULT_READ_CACHE) {}

  /** The JSON bytes of `build()` for KEY at the current generation; a throw is not kept. */
  get (key: string, build: () => unknown): Buffer {
    const generation = this.current()
    if (generation !== this.generation) this.clear(generation)
    const kept = this.bodies.get(key)
    if (kept !== undefined) return kept
    const body = Buffer.from(JSON.stringify(build()))
    if (body.length > this.limits.maxBytes / 4) return body
    if (this.bodies.size >= this.limits.maxEntries || this.bytes + body.length > this.limits.maxBytes) this.clear(generation)
    this.bodies.set(key, body)
    this.bytes += body.length
    return body
  }

  get size (): number { return this.bodies.size }

  private clear (generation: number): void {
    this.bodies.clear()
    this.bytes = 0
    this.generation = generation
  }
}
