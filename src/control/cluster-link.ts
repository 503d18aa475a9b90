// The HTTPS between two processes of the mock (docs/decisions.md #51): a fresh node's join goes to
// the master's POST /_mock/nodes/join with the admin credentials; a master tells a removed node
// of another process that it left. Answers map to the bootstrap error codes RS documents.
import { callOut, OUTBOUND_DEADLINE_MS } from '../base/outbound.js'
import type { JoinOutcome, JoinRequest } from '../store/cluster/index.js'
import type { RemoteNode } from '../store/kernel/index.js'

interface Answer { status: number, body: unknown }

// The join's answer carries the cluster's state: larger than a peer's answer, still bounded.
const MAX_JOIN_ANSWER = 32 << 20

/** One HTTPS POST with a JSON body, within `deadlineMs`; rejects (OutboundFailure) without an answer. */
async function post (url: URL, headers: Record<string, string>, body: unknown, ca?: string, deadlineMs = OUTBOUND_DEADLINE_MS, maxAnswer?: number): Promise<Answer> {
  const data = JSON.stringify(body)
  const answer = await callOut(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(Buffer.byteLength(data)), ...headers },
    body: data,
    // credentials.trusted_ca verifies the master's certificate; without it, as a test needs, none is checked
    ...(ca === undefined ? {} : { ca }),
    deadlineMs,
    ...(maxAnswer === undefined ? {} : { maxAnswer })
  })
  let parsed: unknown = null
  try { parsed = JSON.parse(answer.body.toString('utf8')) } catch {}
  return { status: answer.status, body: parsed }
}

const hostPart = (host: string): string => host.includes(':') ? `[${host}]` : host
const description = (body: unknown): string => String((body as { description?: unknown } | null)?.description ?? 'no description')

/** Asks each of the request's targets in turn; the first that answers decides. */
export async function sendJoin (join: JoinRequest, selfUrl: string | undefined, dryRun: boolean): Promise<JoinOutcome> {
  if (selfUrl === undefined) return { ok: false, code: 'connect_error', message: 'This mock has no listener: it cannot join a cluster over the network' }
  const auth = 'Basic ' + Buffer.from(`${join.username}:${join.password}`).toString('base64')
  const body = { url: selfUrl, token: join.token, ...(join.addr === undefined ? {} : { addr: join.addr }), ...(join.externalAddr === undefined ? {} : { external_addr: join.externalAddr }), ...(dryRun ? { dry_run: true } : {}) }
  const failures: string[] = []
  // One deadline for the whole join, however many targets it names.
  const deadline = Date.now() + OUTBOUND_DEADLINE_MS
  for (const { host, port } of join.targets) {
    const where = `${hostPart(host)}:${port}`
    const left = deadline - Date.now()
    if (left <= 0) {
      failures.push(`${where}: not tried, the join took ${OUTBOUND_DEADLINE_MS} ms already`)
      break
    }
    let answer: Answer
    try {
      answer = await post(new URL(`https://${where}/_mock/nodes/join`), { authorization: auth }, body, join.ca, left, MAX_JOIN_ANSWER)
    } catch (e) {
      failures.push(`${where}: ${(e as Error).message}`)
      continue
    }
    const { status, body: got } = answer
    if (status === 200) {
      const a = got as { uid?: unknown, master_url?: unknown, state?: unknown }
      if (typeof a?.uid !== 'number' || typeof a.master_url !== 'string') return { ok: false, code: 'internal_error', message: `${where} answered the join without a node uid` }
      return { ok: true, uid: a.uid, masterUrl: a.master_url, state: a.state }
    }
    if (status === 401 || status === 403) return { ok: false, code: 'access_denied', message: `${where} refused the credentials: ${description(got)}` }
    return { ok: false, code: 'connect_error', message: `${where} did not accept the node (${status}): ${description(got)}` }
  }
  return { ok: false, code: 'connect_error', message: `Failed to connect to the cluster: ${failures.join('; ')}` }
}

/** Tells a removed node of another process that it left (best effort: it may be gone already). */
export async function tellRemoved (node: RemoteNode): Promise<boolean> {
  try {
    const { status } = await post(new URL('/_mock/cluster/leave', node.url), { 'x-mock-control-token': node.token }, {})
    return status === 200
  } catch {
    return false
  }
}
