// The metrics exporter's share of the benchmark: how long one GET /v2 takes (over one kept-alive
// TLS connection, as Prometheus scrapes), and a 1 s scrape running beside a load.
import { Agent, request } from 'node:https'

/** One GET of PATH on the exporter at PORT through AGENT → { ms, bytes, status }. */
export function scrape (port, agent, path = '/v2') {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = request({ host: '127.0.0.1', port, path, agent, rejectUnauthorized: false }, res => {
      let bytes = 0
      res.on('data', c => { bytes += c.length })
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** COUNT scrapes one after the other after WARM ones: each one's ms, and the answer's size. */
export async function scrapeTimes (port, { warm = 3, count = 20 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    for (let i = 0; i < warm; i++) await scrape(port, agent)
    const ms = []
    let last
    for (let i = 0; i < count; i++) {
      last = await scrape(port, agent)
      if (last.status !== 200) throw new Error(`GET /v2 answered ${last.status}`)
      ms.push(last.ms)
    }
    return { ms, bytes: last.bytes }
  } finally {
    agent.destroy()
  }
}

/** Scrapes PORT's /v2 every second until the returned stop() is called. */
export function scrapeEverySecond (port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let count = 0
  const once = () => { scrape(port, agent).then(() => { count++ }, () => {}) }
  once()
  const timer = setInterval(once, 1000)
  return { stop: () => { clearInterval(timer); agent.destroy(); return count } }
}
