// OCSP status of the proxy certificate (docs/rs-api-notes.md §5.14): GET /v1/ocsp/status, POST /v1/ocsp/test.
// The mock has no OCSP responder to ask: the test-control API declares what it answers.
import { noResponderUrl } from '../../base/errors.js'
import { responderUrl } from './certificates.js'
import type { Core, Json, OcspResponder } from '../kernel/index.js'

export type { CertStatus, OcspResponder, OcspState } from '../kernel/index.js'

// The status object's times are HTTP dates, as in the docs' examples.
const httpDate = (ms: number): string => new Date(ms).toUTCString()

export class Ocsp {
  constructor (private readonly core: Core) {}

  /** The last status cached by a query; {} before any (docs/decisions.md #28). */
  status (): Json { return this.core.state.ocspState.status ?? {} }

  /** Asks the responder now; the answer is cached when OCSP is enabled. */
  test (): Json {
    const { state } = this.core
    const url = responderUrl(state)
    // The test page lists 500 for a missing responder URL.
    if (url === '') throw noResponderUrl(500)
    const responder = state.ocspState.responder ?? { cert_status: 'GOOD' }
    const now = this.core.now()
    const frequency = Number(state.settings.ocsp?.query_frequency ?? 3600)
    const answer: Json = {
      responder_url: url,
      cert_status: responder.cert_status,
      produced_at: httpDate(now),
      this_update: httpDate(now),
      next_update: httpDate(now + frequency * 1000),
      revocation_time: responder.cert_status === 'REVOKED' ? httpDate(Date.parse(responder.revocation_time ?? this.core.nowIso())) : ''
    }
    if (state.settings.ocsp?.ocsp_functionality === true) {
      state.ocspState.status = answer
      this.core.log('ocsp_status_updated', { cert_status: responder.cert_status })
      this.core.changed()
    }
    return answer
  }

  /** Control API: what the simulated responder answers, and its URL when the proxy certificate names none. */
  setResponder (responder: OcspResponder): void {
    this.core.state.ocspState.responder = responder
    this.core.changed()
  }

  responder (): Json { return { responder_url: responderUrl(this.core.state), ...this.core.state.ocspState.responder } }
}
