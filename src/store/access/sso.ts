// SAML metadata of the SSO configuration (docs/rs-api-notes.md §5.14): the service provider's, generated
// from the configuration and the sso_service certificate, and the identity provider's, uploaded.
import { missingCertificate, samlMetadataParsingError, samlMetadataValidationError } from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'
import type { Settings } from '../settings/index.js'

interface Element { name: string, attrs: Map<string, string> }

const NAME_CHAR = /[\w.:-]/

/** The attributes of one tag's text (after its name): `name="value"` pairs, scanned once. */
function attributes (tag: string, from: number): Map<string, string> {
  const out = new Map<string, string>()
  let i = from
  while (i < tag.length) {
    while (i < tag.length && !NAME_CHAR.test(tag[i])) i++
    const start = i
    while (i < tag.length && NAME_CHAR.test(tag[i])) i++
    const name = tag.slice(start, i)
    while (i < tag.length && /\s/.test(tag[i])) i++
    if (tag[i] !== '=') continue
    i++
    while (i < tag.length && /\s/.test(tag[i])) i++
    const quote = tag[i]
    if (quote !== '"' && quote !== "'") continue
    const close = tag.indexOf(quote, i + 1)
    if (close === -1) break
    if (!out.has(name)) out.set(name, tag.slice(i + 1, close))
    i = close + 1
  }
  return out
}

/**
 * The elements of an XML text in order, by local name (the prefix dropped): one pass from each
 * `<` to its `>`, linear in the text whatever it holds (a regex over the whole text was not:
 * 40,000 unclosed tags took seconds). Declarations, comments and closing tags are skipped.
 */
function * elements (xml: string): Generator<Element> {
  let at = xml.indexOf('<')
  while (at !== -1) {
    const end = xml.indexOf('>', at)
    if (end === -1) return
    const tag = xml.slice(at + 1, end)
    const head = /^[\w.-]+(?::[\w.-]+)?/.exec(tag)
    if (head !== null) yield { name: head[0].split(':').pop() as string, attrs: attributes(tag, head[0].length) }
    at = xml.indexOf('<', end)
  }
}

/** The largest idp_metadata accepted (base64): real IdP metadata is tens of KB. */
export const MAX_IDP_METADATA = 512 << 10

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

export class Sso {
  constructor (private readonly core: Core, private readonly settings: Settings) {}

  /** GET /v1/cluster/sso/saml/metadata/sp: the SP metadata XML; needs the sso_service certificate. */
  spMetadata (): string {
    const pem = this.core.state.certificates.sso_service?.certificate
    if (pem === undefined) throw missingCertificate('The sso_service certificate is not set')
    const saml2 = (this.settings.get('sso').service as Json).saml2 as Record<string, string>
    const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '')
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escape(saml2.entity_id)}">`,
      '  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
      '    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>',
      `      <ds:X509Certificate>${body}</ds:X509Certificate>`,
      '    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>',
      `    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escape(saml2.slo_url)}"/>`,
      '    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>',
      `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(saml2.acs_url)}" index="0"/>`,
      '  </md:SPSSODescriptor>',
      '</md:EntityDescriptor>',
      ''
    ].join('\n')
  }

  /** POST /v1/cluster/sso/saml/metadata/idp: the issuer's id and URLs taken from the IdP's metadata. */
  importIdpMetadata (base64: string): Json {
    const compact = base64.length <= MAX_IDP_METADATA ? base64.replace(/\s+/g, '') : ''
    // One character class, then the padding: no two parts can match the same text, so linear.
    const text = /^[A-Za-z0-9+/]+={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : ''
    let root: Element | undefined
    let idp = false
    let login: string | undefined
    let logout: string | undefined
    for (const e of elements(text)) {
      root ??= e
      if (root.name !== 'EntityDescriptor') break
      if (e.name === 'IDPSSODescriptor') idp = true
      if (e.name === 'SingleSignOnService') login ??= e.attrs.get('Location')
      if (e.name === 'SingleLogoutService') logout ??= e.attrs.get('Location')
    }
    if (root?.name !== 'EntityDescriptor' || !/^\s*(<\?xml[^>]*\?>\s*)?</.test(text.slice(0, 4096))) {
      throw samlMetadataParsingError('idp_metadata is not base64-encoded SAML metadata XML')
    }
    const id = root.attrs.get('entityID')
    if (id === undefined || login === undefined || !idp) {
      throw samlMetadataValidationError('The IdP metadata needs an entityID, an IDPSSODescriptor and a SingleSignOnService Location')
    }
    const issuer = { id, login_url: login, logout_url: logout ?? '', metadata: compact }
    return this.settings.update('sso', { issuer })
  }
}
