/**
 * The one error catalogue. Every error Kinga raises, from a domain rule or from the HTTP edge, is
 * one of these codes. A kind says what went wrong independent of transport; the error handler
 * (platform/errors) turns a kind into an HTTP status and a FHIR issue code, and a test checks that
 * every code here is documented in docs/errors.md.
 */
export const ErrorKinds = [
  'invalid', // the request is malformed or breaks a structural rule: 400
  'unprocessable', // well-formed but breaks a business rule: 422
  'unauthorized', // 401
  'forbidden', // 403
  'not-found', // 404
  'not-supported', // 404 for unknown types, 405 for unknown interactions
  'method-not-allowed', // 405
  'conflict', // 409
  'gone', // 410
  'precondition-failed', // 412
  'too-large', // 413
  'not-acceptable', // 406
  'unsupported-media-type', // 415
  'too-many-requests', // 429
  'internal', // 500, message never shown
  'unavailable', // 503
] as const;
export type ErrorKind = (typeof ErrorKinds)[number];

export const ErrorCatalogue = {
  // Requests in general
  'request.malformed-json': { kind: 'invalid', message: 'The body is not valid JSON: {detail}' },
  'request.too-deep': { kind: 'invalid', message: 'The body nests deeper than {max} levels' },
  'request.nul-character': {
    kind: 'invalid',
    message: 'The request holds the NUL character (\\u0000 or %00), which no stored value can hold: {path}',
  },
  'request.too-large': { kind: 'too-large', message: 'The body is larger than {max} bytes' },
  'request.unsupported-media-type': {
    kind: 'unsupported-media-type',
    message: 'Content-Type {type} is not supported; send application/fhir+json or application/json',
  },
  'request.not-acceptable': {
    kind: 'not-acceptable',
    message: 'Only JSON is served: accept application/fhir+json or application/json',
  },
  'request.invalid': { kind: 'invalid', message: '{detail}' },
  'request.rate-limited': { kind: 'too-many-requests', message: 'Too many requests; retry in {seconds} s' },
  'request.route-not-found': { kind: 'not-found', message: 'No endpoint at {method} {url}' },
  'request.method-not-allowed': { kind: 'method-not-allowed', message: '{method} is not allowed here' },

  // Idempotency-Key (draft-ietf-httpapi-idempotency-key-header; Stripe's semantics)
  'idempotency.key-invalid': {
    kind: 'invalid',
    message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters',
  },
  'idempotency.key-reused': {
    kind: 'unprocessable',
    message:
      'This Idempotency-Key was already used for a different request (another body or URL); send a new key for a new request',
  },
  'idempotency.in-flight': {
    kind: 'conflict',
    message: 'A request with this Idempotency-Key is still being processed; retry once it has been answered',
  },

  // Authentication and authorisation
  'auth.missing-token': { kind: 'unauthorized', message: 'A bearer access token is required' },
  'auth.invalid-token': { kind: 'unauthorized', message: 'The access token is not valid' },
  'auth.scope-missing': { kind: 'forbidden', message: 'The token has no scope for {interaction} on {type}' },
  'auth.client-disabled': { kind: 'unauthorized', message: 'The client is disabled' },
  'auth.token-request-invalid': { kind: 'invalid', message: '{detail}' },
  'auth.unsupported-grant-type': {
    kind: 'invalid',
    message: 'Only grant_type=client_credentials is supported, not {grantType}',
  },
  // Deliberately vague: it must not tell an unknown client from a wrong key or secret.
  'auth.client-invalid': { kind: 'unauthorized', message: 'Client authentication failed' },
  // Only raised once the assertion's signature verified with the client's own key.
  'auth.client-assertion-refused': {
    kind: 'unauthorized',
    message: 'The client assertion was refused: {reason}',
  },
  'auth.scope-invalid': {
    kind: 'invalid',
    message: 'None of the requested scopes ({requested}) is granted to this client',
  },
  'auth.client-not-found': { kind: 'not-found', message: 'No client {clientId}' },
  'auth.client-registration-invalid': { kind: 'invalid', message: 'Client registration: {detail}' },
  'auth.signing-key-not-found': { kind: 'not-found', message: 'No signing key {kid}' },

  // FHIR interactions
  'fhir.control-character': {
    kind: 'invalid',
    message:
      'A FHIR string may not hold the control character {code}; only tab, line feed and carriage return are allowed (datatypes.html#string): {path}',
  },
  'fhir.unknown-type': { kind: 'not-supported', message: 'Resource type {type} is not supported' },
  'fhir.interaction-not-supported': {
    kind: 'method-not-allowed',
    message: 'The {interaction} interaction is not supported for {type}{because}',
  },
  'fhir.not-found': { kind: 'not-found', message: '{type}/{id} is not known' },
  'fhir.version-not-found': { kind: 'not-found', message: '{type}/{id} has no version {version}' },
  'fhir.deleted': { kind: 'gone', message: '{type}/{id} was deleted' },
  'fhir.if-match-invalid': { kind: 'invalid', message: 'If-Match must be a version ETag such as W/"3"' },
  'fhir.conditional-multiple': {
    kind: 'precondition-failed',
    message: 'The condition {condition} matches more than one resource',
  },
  'fhir.invalid-resource': { kind: 'invalid', message: 'The resource is not valid' },
  'fhir.profile-violation': {
    kind: 'unprocessable',
    message: 'The resource does not meet profile {profile}',
  },
  'fhir.type-mismatch': { kind: 'invalid', message: 'Expected a {expected} resource, got {actual}' },
  'fhir.id-mismatch': {
    kind: 'invalid',
    message: 'The resource id {bodyId} differs from the URL id {urlId}',
  },
  'fhir.id-missing': { kind: 'invalid', message: 'An update must carry the id of the URL in the resource' },
  'fhir.id-invalid': { kind: 'invalid', message: '{id} is not a valid resource id' },
  'fhir.reference-invalid': {
    kind: 'invalid',
    message: 'Reference {reference} is not a {expected} reference',
  },
  'fhir.search-param-unknown': { kind: 'invalid', message: 'Unknown search parameter {name} for {type}' },
  'fhir.search-param-invalid': { kind: 'invalid', message: 'Search parameter {name}: {detail}' },
  'fhir.bundle-invalid': { kind: 'invalid', message: '{detail}' },

  // Any versioned record
  'record.version-conflict': {
    kind: 'precondition-failed',
    message: '{type}/{id} is at version {current}, not {expected}',
  },

  'record.concurrent-change': {
    kind: 'conflict',
    message: 'The record changed while this request was writing it; read it again and retry',
  },
  'record.duplicate': { kind: 'conflict', message: 'A record with the same unique key already exists' },
  'record.reference-missing': { kind: 'unprocessable', message: 'A referenced record does not exist' },

  // Locations
  'location.code-duplicate': { kind: 'conflict', message: 'Location code {code} is already used' },
  'location.parent-required': {
    kind: 'unprocessable',
    message: 'A {type} location must be part of a {parentType}',
  },
  'location.parent-wrong-type': {
    kind: 'unprocessable',
    message: 'A {type} location must be part of a {expected}, not a {actual}',
  },
  'location.region-has-parent': {
    kind: 'unprocessable',
    message: 'A region is not part of another location',
  },
  'location.has-children': {
    kind: 'unprocessable',
    message: 'Location {code} still contains live locations',
  },
  'location.not-found': { kind: 'unprocessable', message: 'Location {id} does not exist' },
  'location.cycle': { kind: 'unprocessable', message: 'A location cannot be part of itself' },

  // Organisations (health facilities, the insurer)
  'organisation.code-duplicate': { kind: 'conflict', message: 'Organisation code {code} is already used' },
  'organisation.not-found': { kind: 'unprocessable', message: 'Organisation {id} does not exist' },
  'organisation.facility-field-required': {
    kind: 'unprocessable',
    message: 'A health facility needs its {field}',
  },
  'organisation.location-not-district': {
    kind: 'unprocessable',
    message: 'A health facility is located in a district, not a {actual}',
  },
  'organisation.contract-dates': {
    kind: 'unprocessable',
    message: 'The contract ends ({end}) before it starts ({start})',
  },

  // Insurees and families
  'insuree.insurance-number-required': { kind: 'unprocessable', message: 'An insurance number is required' },
  'insuree.insurance-number-invalid': {
    kind: 'unprocessable',
    message: 'Insurance number {number}: {reason}',
  },
  'insuree.insurance-number-duplicate': {
    kind: 'conflict',
    message: 'Insurance number {number} is already used by another insuree',
  },
  'insuree.insurance-number-immutable': {
    kind: 'unprocessable',
    message: 'The insurance number of an insuree cannot change',
  },
  'insuree.name-required': { kind: 'unprocessable', message: 'A family name and a given name are required' },
  'insuree.birth-date-incomplete': {
    kind: 'unprocessable',
    message: 'The birth date {date} must be a full date (YYYY-MM-DD)',
  },
  'insuree.birth-date-future': { kind: 'unprocessable', message: 'The birth date {date} is in the future' },
  'insuree.not-found': { kind: 'unprocessable', message: 'Insuree {id} does not exist' },
  'insuree.village-not-village': {
    kind: 'unprocessable',
    message: 'An insuree lives in a village, not a {actual}',
  },
  'insuree.facility-not-health-facility': {
    kind: 'unprocessable',
    message: 'The first point of service must be a health facility',
  },
  'insuree.head-of-other-family': {
    kind: 'unprocessable',
    message: 'Insuree {number} heads another family and cannot leave it',
  },
  'family.head-required': { kind: 'unprocessable', message: 'A family needs a head among its members' },
  'family.head-not-member': {
    kind: 'unprocessable',
    message: 'The head of a family must be one of its members',
  },
  'family.member-duplicate': { kind: 'invalid', message: 'Insuree {number} is listed twice' },
  'family.not-found': { kind: 'unprocessable', message: 'Family {id} does not exist' },
  'family.head-removal': {
    kind: 'unprocessable',
    message: 'The head cannot leave the family; name another head first',
  },

  // Medical registers: items, services, price lists, diagnoses
  'medical.text-required': { kind: 'unprocessable', message: 'The {field} is required' },
  'medical.text-too-long': { kind: 'unprocessable', message: 'The {field} is longer than {max} characters' },
  'medical.item-code-duplicate': { kind: 'conflict', message: 'Medical item code {code} is already used' },
  'medical.service-code-duplicate': {
    kind: 'conflict',
    message: 'Medical service code {code} is already used',
  },
  'medical.price-invalid': {
    kind: 'unprocessable',
    message: '{price} is not an amount of money (a decimal with at most two decimals)',
  },
  'medical.price-negative': { kind: 'unprocessable', message: 'A price cannot be negative ({price})' },
  'medical.validity-dates': {
    kind: 'unprocessable',
    message: 'The validity ends ({to}) before it starts ({from})',
  },
  'medical.quantity-invalid': {
    kind: 'unprocessable',
    message: 'The {field} must be a whole number of at least {min}, not {value}',
  },
  'medical.patient-category-invalid': {
    kind: 'unprocessable',
    message:
      'Patient category {mask} must allow at least one sex (1 male, 2 female) and one age group (4 adult, 8 minor)',
  },
  'medical.item-not-found': { kind: 'unprocessable', message: 'Medical item {id} does not exist' },
  'medical.service-not-found': { kind: 'unprocessable', message: 'Medical service {id} does not exist' },
  'medical.package-components-required': {
    kind: 'unprocessable',
    message: 'A package service needs at least one component',
  },
  'medical.package-components-not-allowed': {
    kind: 'unprocessable',
    message: 'A simple service has no components; make it a package (P or F) first',
  },
  'medical.package-contains-itself': {
    kind: 'unprocessable',
    message: 'Service {code} cannot contain itself',
  },
  'medical.package-component-duplicate': {
    kind: 'unprocessable',
    message: 'The {kind} {code} is listed twice in the package',
  },
  'medical.package-component-quantity': {
    kind: 'unprocessable',
    message: 'The quantity of {kind} {code} must be more than 0, not {quantity}',
  },
  'medical.component-in-use': {
    kind: 'unprocessable',
    message:
      'The {kind} {code} is a component of package service {package}; take it out of the package first',
  },
  'price-list.not-found': { kind: 'unprocessable', message: 'Price list {id} does not exist' },
  'price-list.wrong-kind': {
    kind: 'unprocessable',
    message: 'The {slot} price list must be a list of {kind}, not of {actual}',
  },
  'price-list.line-target': {
    kind: 'unprocessable',
    message: 'A price list line names one medical item or one medical service',
  },
  'price-list.line-kind-mismatch': {
    kind: 'unprocessable',
    message: 'A price list of {kind} cannot list the {actual} {code}',
  },
  'price-list.line-duplicate': { kind: 'unprocessable', message: '{code} is listed twice in the price list' },
  'price-list.location-level': {
    kind: 'unprocessable',
    message: 'A price list is for a region or a district, not a {actual}',
  },
  'price-list.kind-immutable': {
    kind: 'unprocessable',
    message: 'A price list of {kind} cannot become a list of {requested}; create a new list',
  },
  'price-list.in-use': {
    kind: 'unprocessable',
    message: 'Price list {name} is used by {count} health facilities; point them to another list first',
  },
  'diagnosis.code-duplicate': { kind: 'conflict', message: 'Diagnosis code {code} is already used' },
  'diagnosis.listed-twice': { kind: 'unprocessable', message: 'Diagnosis {code} is listed twice' },
  'diagnosis.list-exists': {
    kind: 'conflict',
    message: 'The scheme already has its diagnosis list; update that list instead',
  },

  // Policies and premiums
  'policy.not-found': { kind: 'unprocessable', message: 'Policy {id} does not exist' },
  'policy.date-invalid': {
    kind: 'invalid',
    message: 'The {field} {date} is not a calendar date (YYYY-MM-DD)',
  },
  'policy.product-not-found': { kind: 'unprocessable', message: 'Product {id} does not exist' },
  'policy.product-not-on-sale': {
    kind: 'unprocessable',
    message: 'Product {code} is not on sale on {date} (sold from {from} to {to})',
  },
  'policy.product-not-sold-here': {
    kind: 'unprocessable',
    message: 'Product {code} is not sold where the family lives',
  },
  'policy.no-renewal-product': {
    kind: 'unprocessable',
    message: 'Neither product {code} nor any product replacing it is on sale on {date}',
  },
  'policy.officer-not-found': { kind: 'unprocessable', message: 'Officer {id} does not exist' },
  'policy.officer-unavailable': {
    kind: 'unprocessable',
    message: 'Officer {code} is not an enrolment officer working on {date}',
  },
  'policy.no-members': { kind: 'unprocessable', message: 'The family has no active member to insure' },
  'policy.family-too-large': {
    kind: 'unprocessable',
    message: 'The product covers at most {max} members; the family has {count}',
  },
  'policy.claimed-value-differs': {
    kind: 'unprocessable',
    message: 'The policy value is {computed}, not {claimed}',
  },
  'policy.claimed-date-differs': {
    kind: 'unprocessable',
    message: 'The {field} is {computed}, not {claimed}',
  },
  'policy.expired': { kind: 'unprocessable', message: 'Policy {id} has expired; renew it instead' },
  'policy.member-not-in-family': {
    kind: 'unprocessable',
    message: 'Insuree {number} is not a member of the insured family',
  },
  'policy.member-inactive': { kind: 'unprocessable', message: 'Insuree {number} is not active' },
  'policy.member-already-covered': {
    kind: 'conflict',
    message: 'The insuree is already on the policy ({key})',
  },
  'policy.join-date-outside-period': {
    kind: 'unprocessable',
    message: 'A member can join between {enrolDate} and {expiryDate}, not on {date}',
  },
  'policy.premium-amount-invalid': {
    kind: 'unprocessable',
    message: 'A premium is a positive amount of money with at most two decimals, not {amount}',
  },
  'policy.receipt-required': {
    kind: 'unprocessable',
    message: 'A premium needs its receipt number, of at most 100 characters',
  },
  'policy.receipt-duplicate': {
    kind: 'conflict',
    message: 'A premium with this receipt is already recorded for the product ({key})',
  },
  'policy.premium-not-found': { kind: 'unprocessable', message: 'Premium {id} does not exist' },
  'policy.premium-not-reversible': {
    kind: 'unprocessable',
    message: 'Only a payment can be reversed, not a {kind} entry',
  },
  'policy.reversal-before-payment': {
    kind: 'unprocessable',
    message: 'A payment of {payDate} cannot be reversed on {date}, before it was paid',
  },
  'policy.premium-already-reversed': {
    kind: 'conflict',
    message: 'The payment with receipt {receipt} is already reversed',
  },
  'policy.not-ready': {
    kind: 'unprocessable',
    message: 'Only a paid policy waiting for activation (ready) can be activated; this one is {status}',
  },
  'policy.not-renewable': {
    kind: 'unprocessable',
    message: 'An {status} policy cannot be renewed; only an active or expired one',
  },
  'policy.already-renewed': {
    kind: 'conflict',
    message: 'Policy {id} is already renewed by policy {renewal}',
  },

  // Policies and premiums through FHIR: Coverage, Contract (enrolment, renewal), PaymentNotice
  'policy.nothing-to-renew': { kind: 'unprocessable', message: 'The family has no policy to renew' },
  'contract.renewal-other-family': {
    kind: 'unprocessable',
    message: 'Policy {id} is not a policy of the family named as subject',
  },
  'contract.renewal-product-differs': {
    kind: 'unprocessable',
    message: 'The renewal is sold under product {code} (InsurancePlan/{id}), not the one named',
  },
  'contract.patient-without-family': {
    kind: 'unprocessable',
    message: 'Patient/{id} belongs to no family: enrol its Group',
  },
  'contract.members-differ': {
    kind: 'unprocessable',
    message: "The policy covers the family's active members ({covered}), not the Patients listed ({listed})",
  },
  'contract.terms-fixed': {
    kind: 'unprocessable',
    message:
      "A policy's {element} is set when it is issued: record premiums with PaymentNotice, renew with a new Contract (legalState renewed)",
  },
  'contract.premium-not-recorded': {
    kind: 'unprocessable',
    message:
      'The premium with receipt {receipt} is not on the policy: record further premiums with PaymentNotice',
  },
  'payment-notice.immutable': {
    kind: 'unprocessable',
    message:
      'A recorded premium is never edited ({element} differs): reverse it (status cancelled) and record the right one',
  },
  'payment-notice.reversal-final': {
    kind: 'unprocessable',
    message:
      'The premium with receipt {receipt} is reversed (cancelled) for good: record a new premium instead',
  },

  // Products (benefit packages) and their coverage lines
  'product.text-required': { kind: 'unprocessable', message: 'The product {field} is required' },
  'product.text-too-long': {
    kind: 'unprocessable',
    message: 'The product {field} is longer than {max} characters',
  },
  'product.code-duplicate': { kind: 'conflict', message: 'Product code {code} is already used' },
  'product.date-invalid': { kind: 'unprocessable', message: '{date} is not a calendar date (YYYY-MM-DD)' },
  'product.dates': {
    kind: 'unprocessable',
    message: 'The product is sold until {to}, before it is first sold ({from})',
  },
  'product.start-cycle-invalid': {
    kind: 'unprocessable',
    message: 'Enrolment cycle start {cycle} is not a day and month (DD-MM) that occurs every year',
  },
  'product.start-cycles-too-many': {
    kind: 'unprocessable',
    message: 'A product has at most {max} enrolment cycles, not {count}',
  },
  'product.start-cycle-duplicate': {
    kind: 'unprocessable',
    message: 'Enrolment cycle start {cycle} is listed twice',
  },
  'product.threshold-above-max-members': {
    kind: 'unprocessable',
    message: 'The lump sum covers {threshold} members, more than the {maxMembers} a family may have',
  },
  'product.amount-invalid': {
    kind: 'unprocessable',
    message: '{field}: {value} is not an amount of money (a decimal with at most two decimals)',
  },
  'product.amount-negative': { kind: 'unprocessable', message: '{field} cannot be negative ({value})' },
  'product.percentage-invalid': {
    kind: 'unprocessable',
    message: '{field} must be a percentage from 0 to 100 with at most two decimals, not {value}',
  },
  'product.whole-number-invalid': {
    kind: 'unprocessable',
    message: '{field} must be a whole number of at least {min}, not {value}',
  },
  'product.relative-distribution-too-long': {
    kind: 'unprocessable',
    message: 'The relative-price distribution has {count} shares; at most {max} (one a month)',
  },
  'product.location-level': {
    kind: 'unprocessable',
    message: 'A product is sold nationally, in a region or in a district, not in a {actual}',
  },
  'product.conversion-self': { kind: 'unprocessable', message: 'A product cannot convert into itself' },
  'product.conversion-not-found': {
    kind: 'unprocessable',
    message: 'Conversion product {id} does not exist',
  },
  'product.conversion-cycle': {
    kind: 'unprocessable',
    message: 'Converting into {code} loops back to this product at renewal: {chain}',
  },
  'product.conversion-target-in-use': {
    kind: 'unprocessable',
    message: 'Product {other} converts into {code}; give {other} another conversion product first',
  },
  'product.coverage-target': {
    kind: 'unprocessable',
    message: 'Coverage line {line} must name one medical item or one medical service',
  },
  'product.coverage-duplicate': {
    kind: 'unprocessable',
    message: 'The medical {kind} {id} is covered twice; a product covers it once',
  },
  'product.coverage-item-not-found': { kind: 'unprocessable', message: 'Medical item {id} does not exist' },
  'product.coverage-service-not-found': {
    kind: 'unprocessable',
    message: 'Medical service {id} does not exist',
  },

  // Officers: enrolment officers (EO) and claim administrators (CA)
  'officer.code-required': { kind: 'unprocessable', message: 'An officer needs a code' },
  'officer.code-duplicate': { kind: 'conflict', message: 'Officer code {code} is already used' },
  'officer.name-required': { kind: 'unprocessable', message: 'A family name and a given name are required' },
  'officer.birth-date-future': { kind: 'unprocessable', message: 'The birth date {date} is in the future' },
  'officer.role-required': {
    kind: 'unprocessable',
    message: 'An officer is an enrolment officer (EO) or a claim administrator (CA): give exactly one',
  },
  'officer.role-immutable': {
    kind: 'unprocessable',
    message: 'An officer registered as {role} stays {role}; register a new officer for the other role',
  },
  'officer.not-found': { kind: 'unprocessable', message: 'Officer {id} does not exist' },
  'officer.field-not-for-role': { kind: 'unprocessable', message: 'A {role} officer has no {field}' },
  'officer.location-type': {
    kind: 'unprocessable',
    message: 'An enrolment officer works in a district and its villages, not in a {actual}',
  },
  'officer.one-district': { kind: 'unprocessable', message: 'An enrolment officer works in one district' },
  'officer.village-outside-district': {
    kind: 'unprocessable',
    message: 'Village {village} is not in district {district}',
  },
  'officer.facility-not-health-facility': {
    kind: 'unprocessable',
    message: 'A claim administrator works at a health facility',
  },
  'officer.substitute-not-enrolment-officer': {
    kind: 'unprocessable',
    message: 'The substitute must be another live enrolment officer',
  },
  'officer.substitute-cycle': {
    kind: 'unprocessable',
    message: 'Officer {substitute} cannot substitute {code}: the substitutes would go round in a circle',
  },
  'officer.is-substitute': {
    kind: 'unprocessable',
    message: 'Officer {code} is the substitute of {other}; name another substitute first',
  },
  'officer.assignment-mismatch': {
    kind: 'unprocessable',
    message: 'This assignment belongs to officer {expected}, not {actual}',
  },

  // Insurance number blocks for pre-printed cards
  'insurance-number.block-size': {
    kind: 'unprocessable',
    message: 'A block has 1 to {max} numbers, not {count}',
  },
  'insurance-number.block-exhausted': {
    kind: 'unprocessable',
    message: 'Only {available} unused insurance numbers are left; a block of {count} cannot be generated',
  },
  'insurance-number.officer-not-enrolling': {
    kind: 'unprocessable',
    message: 'Numbers go to an enrolment officer who still works; officer {code} is not one',
  },
  'insuree.insurance-number-used': {
    kind: 'conflict',
    message: 'Insurance number {number} (a pre-printed card) was already used at an enrolment',
  },
  'insuree.insurance-number-not-allocated': {
    kind: 'unprocessable',
    message:
      'Insurance number {number} was not allocated to an enrolment officer; only pre-printed numbers are accepted',
  },

  // Operations and membership cards
  'operation.parameter-invalid': { kind: 'invalid', message: 'Parameter {name}: {detail}' },
  'card.selection-required': {
    kind: 'invalid',
    message: 'Name the cards to print: patient references, a village or an officer',
  },
  'card.run-size': { kind: 'unprocessable', message: 'A printing run has 1 to {max} cards, not {count}' },
  'card.none-selected': { kind: 'unprocessable', message: 'No live insuree matches the selection' },

  // Eligibility at the point of care, and the usage ledger it reads
  'eligibility.date-invalid': {
    kind: 'unprocessable',
    message: '{date} is not a calendar date (YYYY-MM-DD): eligibility is asked for a day',
  },
  'eligibility.created-invalid': {
    kind: 'invalid',
    message: 'created {created} is not a date or a date-time',
  },
  'eligibility.item-unknown': {
    kind: 'unprocessable',
    message: 'No medical {kind} has the code {code}',
  },
  'eligibility.item-kind-unknown': {
    kind: 'unprocessable',
    message: 'Say whether {code} is an item or a service (category item or service)',
  },
  'eligibility.patient-unreadable': {
    kind: 'invalid',
    message:
      'The patient must be Patient/<id>, Patient/<insurance number>, Patient?identifier=… or an identifier, not {reference}',
  },
  'eligibility.facility-not-yours': {
    kind: 'forbidden',
    message: 'This client acts for facility {own} and may not ask as {asked}',
  },
  'eligibility.facility-not-health-facility': {
    kind: 'unprocessable',
    message: 'Organization {id} is not a live health facility',
  },
  'usage.policy-not-covering': {
    kind: 'unprocessable',
    message: 'Insuree {insuree} is not covered by policy {policy}',
  },
  'usage.quantity-invalid': {
    kind: 'unprocessable',
    message: 'A quantity is a whole number, not {quantity}',
  },
  'usage.amount-invalid': { kind: 'unprocessable', message: '{amount} is not an amount of money' },

  // Premium payments: references, inbox, exceptions
  'payment.nothing-due': {
    kind: 'unprocessable',
    message: 'Policy {policy} owes nothing: no payment reference is needed',
  },
  'payment.reference-unknown': { kind: 'unprocessable', message: 'No payment reference {reference} is open' },
  'payment.exception-not-found': { kind: 'not-found', message: 'No payment {id} is known' },
  'payment.exception-resolved': {
    kind: 'conflict',
    message: 'Only an unmatched payment can be assigned or refunded; this one is {status}',
  },
  'payment.provider-off': {
    kind: 'unprocessable',
    message: 'Payment requests to {provider} are not configured on this server',
  },
  'payment.provider-refused': {
    kind: 'unprocessable',
    message: '{provider} refused the payment request: {detail}',
  },
  'payment.provider-unavailable': {
    kind: 'unavailable',
    message: '{provider} did not answer the payment request: {detail}',
  },

  'payment.callback-unknown': { kind: 'not-found', message: 'No payment callback endpoint here' },
  'payment.callback-source-refused': {
    kind: 'forbidden',
    message: 'Callbacks are not accepted from {ip}',
  },
  'payment.callback-malformed': {
    kind: 'invalid',
    message: 'The callback body is not what the provider sends: {detail}',
  },
  'payment.callback-unauthenticated': {
    kind: 'unauthorized',
    message: 'The callback is not signed by the provider: {detail}',
  },
  'payment.idempotency-key-required': {
    kind: 'invalid',
    message: 'A payment notification needs an Idempotency-Key header',
  },
  'payment.statement-malformed': {
    kind: 'invalid',
    message: 'Statement line {line}, column {column}: {detail}; nothing was imported',
  },
  'payment.statement-media-type': {
    kind: 'unsupported-media-type',
    message: "A provider's statement is sent as text/csv, not {type}",
  },
  'payment.reconciliation-not-found': { kind: 'not-found', message: 'No reconciliation run {id} is known' },

  // Outbound webhooks (Standard Webhooks) and their subscribers
  'webhook.url-refused': { kind: 'unprocessable', message: 'Webhook URL {url} is refused: {reason}' },
  'webhook.secret-invalid': {
    kind: 'invalid',
    message: 'A webhook secret is whsec_ followed by the base64 of 24 to 64 random bytes',
  },
  'webhook.subscriber-not-found': { kind: 'not-found', message: 'No webhook subscriber {id}' },

  // Indicators (DHIS2, MeasureReport)
  'indicator.period-invalid': {
    kind: 'invalid',
    message: '{name} {period} is not a DHIS2 period (yyyyMMdd, yyyyWn, yyyyMM, yyyyQn or yyyy)',
  },
  'dhis2.uid-invalid': {
    kind: 'unprocessable',
    message: 'DHIS2 UID {uid} is not valid: 11 characters, a letter then 10 letters or digits',
  },
  'dhis2.code-invalid': { kind: 'unprocessable', message: 'A DHIS2 code has 1 to 50 characters: {code}' },
  'dhis2.org-unit-uid-duplicate': {
    kind: 'conflict',
    message: 'DHIS2 UID {uid} is already the org unit of another location or health facility',
  },
  'dhis2.org-unit-code-duplicate': {
    kind: 'conflict',
    message: 'DHIS2 code {code} is already the org unit of another location or health facility',
  },
  'dhis2.org-units-rejected': {
    kind: 'unprocessable',
    message: 'No org-unit mapping was changed: {detail}',
  },
  'dhis2.id-scheme-unsupported': {
    kind: 'invalid',
    message: '{name} {scheme} is not supported here: use UID or CODE',
  },
  'dhis2.data-value-set-invalid': {
    kind: 'invalid',
    message: 'The body is not a DHIS2 data value set (JSON): {detail}',
  },
  'indicator.data-set-unknown': {
    kind: 'invalid',
    message: 'dataSet {dataSet} is not a data set of the catalogue ({known}), by code or DHIS2 UID',
  },
  'indicator.org-unit-unknown': {
    kind: 'invalid',
    message:
      'orgUnit {orgUnit} is no live location or health facility (by Kinga id or code, DHIS2 UID or code)',
  },
  'indicator.not-acceptable': {
    kind: 'not-acceptable',
    message:
      'Indicators are served as application/json (DHIS2 data value set), application/adx+xml (ADX) or application/fhir+json (a Bundle of MeasureReports)',
  },
  'indicator.evaluation-period-invalid': {
    kind: 'invalid',
    message:
      'periodStart {start} and periodEnd {end} are not one DHIS2 period: a day, an ISO week (Monday to Sunday), a calendar month, a quarter or a year',
  },
  'indicator.subject-invalid': {
    kind: 'invalid',
    message:
      'subject {subject} is neither Location/<id> of a live location nor Organization/<id> of a live health facility',
  },
  'indicator.report-type-unsupported': {
    kind: 'invalid',
    message:
      'reportType {reportType} is not supported: only summary (aggregates leave Kinga, never subject lists)',
  },
  'dhis2.instance-unknown': {
    kind: 'invalid',
    message: 'DHIS2 instance {instance} is not configured (DHIS2_INSTANCES names: {known})',
  },
  'dhis2.data-set-not-pushed': {
    kind: 'invalid',
    message: 'DHIS2 instance {instance} is not configured to receive data set {dataSet}',
  },

  // Claims: submission, adjudication, review
  'claim.date-invalid': {
    kind: 'unprocessable',
    message: '{date} is not a calendar date (YYYY-MM-DD): a claim names the days of the treatment',
  },
  'claim.no-lines': { kind: 'invalid', message: 'A claim has at least one item or service' },
  'claim.dates': { kind: 'unprocessable', message: 'The treatment ends ({to}) before it starts ({from})' },
  'claim.too-many-diagnoses': {
    kind: 'unprocessable',
    message: 'A claim has at most {max} secondary diagnoses',
  },
  'claim.sequence-duplicate': { kind: 'invalid', message: 'Line sequence {sequence} is given twice' },
  'claim.quantity-invalid': {
    kind: 'unprocessable',
    message: 'A quantity is a whole number of units, at least 1 (0 at review rejects), not {quantity}',
  },
  'claim.price-invalid': {
    kind: 'unprocessable',
    message: 'A price is an amount of money, not negative, with at most two decimals, not {price}',
  },
  'claim.total-mismatch': {
    kind: 'unprocessable',
    message: 'The total {total} is not the sum of quantity × unit price over the lines ({sum})',
  },
  'claim.facility-unknown': { kind: 'unprocessable', message: 'No health facility is known as {key}' },
  'claim.facility-not-yours': {
    kind: 'forbidden',
    message: "This client acts for one facility and may submit and read only that facility's claims",
  },
  'claim.patient-unknown': {
    kind: 'unprocessable',
    message: 'No insuree is known by the patient reference or insurance number given',
  },
  'claim.admin-unknown': { kind: 'unprocessable', message: 'No claim administrator is known as {key}' },
  'claim.diagnosis-unknown': {
    kind: 'unprocessable',
    message: 'Diagnosis {code} is not in the diagnosis list',
  },
  'claim.line-target-unknown': { kind: 'unprocessable', message: 'No medical {kind} is known as {key}' },
  'claim.line-kind-ambiguous': {
    kind: 'unprocessable',
    message: 'Line {line}: say whether it is an item or a service (category item or service)',
  },
  'claim.code-used': {
    kind: 'conflict',
    message: 'Claim code {code} is already used by another claim of this facility',
  },
  'claim.not-reviewable': {
    kind: 'conflict',
    message: 'Only a claim checked or processed, not yet valuated, can be reviewed; this one is {status}',
  },
  'claim.review-line-unknown': { kind: 'unprocessable', message: 'The claim has no line {sequence}' },
  'claim.review-justification': { kind: 'unprocessable', message: 'A review says why: give a justification' },
  'usage.line-target': {
    kind: 'unprocessable',
    message: 'Each usage line names one item or one service',
  },

  // Relative pricing: the period batch
  'relative-pricing.period-invalid': {
    kind: 'invalid',
    message:
      'A relative-pricing period is a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY), not {period}',
  },
  'relative-pricing.product-not-found': { kind: 'not-found', message: 'No product {id} is known' },
  'relative-pricing.not-priced': {
    kind: 'unprocessable',
    message: 'Product {product} has no relative pricing by the period of {period} (its periods: {periods})',
  },
  'relative-pricing.period-open': {
    kind: 'unprocessable',
    message: 'Period {period} ends on {end}: it is priced once it has ended, with all its claims',
  },
  'relative-pricing.period-overlaps': {
    kind: 'conflict',
    message: 'Period {period} overlaps the run of {other} for the same care: reverse that run first',
  },
  'relative-pricing.distribution-missing': {
    kind: 'unprocessable',
    message:
      "Product {product}'s relative-price distribution has {count} shares and none for period {period}: correct the product",
  },
  'relative-pricing.run-not-found': {
    kind: 'unprocessable',
    message: 'Period {period} of this product has no run to reverse',
  },

  // Internal
  'internal.unexpected': { kind: 'internal', message: 'Internal error' },
  'internal.unavailable': { kind: 'unavailable', message: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type ErrorCode = keyof typeof ErrorCatalogue;

/** One problem within an error: a message and, when known, the domain field or FHIR element. */
export interface ErrorIssue {
  message: string;
  /** Domain field name (e.g. `insuranceNumber`); the FHIR mapper turns it into an element path. */
  field?: string;
  /** FHIRPath of the element, set by the FHIR layer. */
  expression?: string;
  /** FHIR issue type (required, value, structure, …) when more precise than the kind. */
  issueCode?: string;
  severity?: 'error' | 'warning' | 'information';
}

export class KingaError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly params: Record<string, string | number>;
  readonly issues: ErrorIssue[];

  constructor(
    code: ErrorCode,
    params: Record<string, string | number> = {},
    options: { field?: string; expression?: string; issues?: ErrorIssue[]; cause?: unknown } = {},
  ) {
    const message = format(ErrorCatalogue[code].message, params);
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KingaError';
    this.code = code;
    this.kind = ErrorCatalogue[code].kind;
    this.params = params;
    this.issues = options.issues ?? [
      {
        message,
        ...(options.field === undefined ? {} : { field: options.field }),
        ...(options.expression === undefined ? {} : { expression: options.expression }),
      },
    ];
  }
}

function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}
