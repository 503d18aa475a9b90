// Load generation with autocannon's programmatic API, in this (client-pinned) process.
import autocannon from 'autocannon'
import { AUTH } from './proc.mjs'

function run (opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...opts, tlsOptions: { rejectUnauthorized: false } }, (err, result) => err ? reject(err) : resolve(result))
    instance.on('error', () => {})
  })
}

const summary = r => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  total: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]))
})

/** GET PATH with AUTHORIZATION on `connections` keep-alive connections for `duration` s. */
export async function load (port, path, { authorization = AUTH, connections, duration }) {
  return summary(await run({
    url: `https://127.0.0.1:${port}${path}`,
    connections,
    duration,
    headers: { authorization }
  }))
}

/**
 * Create+delete pairs: each connection loops POST /v1/bdbs → DELETE of the oldest database created
 * at least `minAgeMs` ago. RS (and the mock) answer 409 to a DELETE while the new database is
 * still `pending`, so the DELETE is skipped when nothing is old enough yet.
 */
export async function pairs (port, { connections, duration, minAgeMs = 250 }) {
  let n = 0
  const created = []
  const counts = { created: 0, deleted: 0, createFailed: 0, deleteFailed: 0, statuses: {} }
  const tally = status => { counts.statuses[status] = (counts.statuses[status] ?? 0) + 1 }
  const r = await run({
    url: `https://127.0.0.1:${port}`,
    connections,
    duration,
    headers: { authorization: AUTH },
    requests: [
      {
        method: 'POST',
        path: '/v1/bdbs',
        setupRequest: req => ({
          ...req,
          headers: { ...req.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `bench-${process.pid}-${n++}`, memory_size: 104857600 })
        }),
        onResponse: (status, body) => {
          tally(`POST ${status}`)
          if (status >= 400 && counts.sample === undefined) counts.sample = body.slice(0, 300)
          if (status < 200 || status > 299) { counts.createFailed++; return }
          counts.created++
          created.push({ uid: JSON.parse(body).uid, at: Date.now() })
        }
      },
      {
        method: 'DELETE',
        setupRequest: req => {
          if (created.length === 0 || Date.now() - created[0].at < minAgeMs) return null
          return { ...req, path: `/v1/bdbs/${created.shift().uid}` }
        },
        onResponse: status => {
          tally(`DELETE ${status}`)
          if (status >= 200 && status < 300) counts.deleted++
          else counts.deleteFailed++
        }
      }
    ]
  })
  const s = summary(r)
  const seconds = r.duration
  return { ...s, pairsPerSec: Math.min(counts.created, counts.deleted) / seconds, ...counts, seconds }
}
