import type { ErrorCode } from './errors.ts';

/**
 * The live-record unique indexes (see `liveUnique`) and the domain error each one means. The index
 * is the only check: a lookup before the insert would cost a round trip and still race.
 */
export const uniqueKeyErrors: Record<string, { code: ErrorCode; field: string; param: string }> = {
  insuree_insurance_number_live_unique: {
    code: 'insuree.insurance-number-duplicate',
    field: 'insuranceNumber',
    param: 'number',
  },
  officer_code_live_unique: { code: 'officer.code-duplicate', field: 'code', param: 'code' },
  location_code_live_unique: { code: 'location.code-duplicate', field: 'code', param: 'code' },
  organisation_code_live_unique: { code: 'organisation.code-duplicate', field: 'code', param: 'code' },
  location_dhis2_uid_live_unique: { code: 'dhis2.org-unit-uid-duplicate', field: 'dhis2Uid', param: 'uid' },
  location_dhis2_code_live_unique: {
    code: 'dhis2.org-unit-code-duplicate',
    field: 'dhis2Code',
    param: 'code',
  },
  organisation_dhis2_uid_live_unique: {
    code: 'dhis2.org-unit-uid-duplicate',
    field: 'dhis2Uid',
    param: 'uid',
  },
  organisation_dhis2_code_live_unique: {
    code: 'dhis2.org-unit-code-duplicate',
    field: 'dhis2Code',
    param: 'code',
  },
  premium_receipt_live_unique: { code: 'policy.receipt-duplicate', field: 'receipt', param: 'key' },
  insuree_policy_live_unique: { code: 'policy.member-already-covered', field: 'members', param: 'key' },
  medical_item_code_live_unique: { code: 'medical.item-code-duplicate', field: 'code', param: 'code' },
  medical_service_code_live_unique: { code: 'medical.service-code-duplicate', field: 'code', param: 'code' },
  price_list_line_unique: { code: 'price-list.line-duplicate', field: 'lines', param: 'code' },
  diagnosis_code_live_unique: { code: 'diagnosis.code-duplicate', field: 'code', param: 'code' },
  diagnosis_list_live_unique: { code: 'diagnosis.list-exists', field: 'list', param: 'list' },
  product_code_live_unique: { code: 'product.code-duplicate', field: 'code', param: 'code' },
};
