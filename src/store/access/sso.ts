// SAML metadata of the SSO configuration (docs/rs-api-notes.md §5.14): the service provider's, generated
// from the configuration and the sso_service certificate, and the identity provider's, uploaded.
import { missingCertificate, samlMetadataParsingError, samlMetadataValidationError } from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'
import type { Settings } from '../settings/index.js'

const attr = (xml: string, element: string, name: string): string | undefined =>
  new RegExp(`<(?:\\w+:)?${element}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1]

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
    const text = /^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(base64) ? Buffer.from(base64, 'base64').toString('utf8') : ''
    if (!/^\s*(<\?xml[^>]*\?>\s*)?<(\w+:)?EntityDescriptor\b/.test(text)) {
      throw samlMetadataParsingError('idp_metadata is not base64-encoded SAML metadata XML')
    }
    const id = attr(text, 'EntityDescriptor', 'entityID')
    const login = attr(text, 'SingleSignOnService', 'Location')
    if (id === undefined || login === undefined || !/<(\w+:)?IDPSSODescriptor\b/.test(text)) {
      throw samlMetadataValidationError('The IdP metadata needs an entityID, an IDPSSODescriptor and a SingleSignOnService Location')
    }
    const issuer = { id, login_url: login, logout_url: attr(text, 'SingleLogoutService', 'Location') ?? '', metadata: base64.replace(/\s/g, '') }
    return this.settings.update('sso', { issuer })
  }
}
