import type { ElementDefinition } from '@medplum/fhirtypes';
import { structureDefinitionByUrl } from '../conformance/profiles.ts';
import { allowedCodes, describeCodes, type AllowedCodes } from './terminology.ts';
import { isObject, type Occurrence } from './occurrences.ts';
import type { ValidationIssue } from './validation-issue.ts';

type Json = Record<string, unknown>;

/**
 * The checks of one element definition on one occurrence: type (of a choice), fixed[x],
 * pattern[x], required binding, reference target.
 */
export function checkOccurrence(
  occurrence: Occurrence,
  element: ElementDefinition,
  label: string,
): ValidationIssue[] {
  const allowed = element.type?.map((t) => t.code) ?? [];
  if (occurrence.type && allowed.length > 0 && !allowed.includes(occurrence.type)) {
    return [
      {
        code: 'structure',
        expression: occurrence.path,
        message: `${label} must be a ${allowed.join(' or ')} value, not a ${occurrence.type}`,
      },
    ];
  }
  return [
    ...checkFixed(occurrence, element, label),
    ...checkPattern(occurrence, element, label),
    ...checkBinding(occurrence, element, label),
    ...checkReferenceTarget(occurrence, element, label),
  ];
}

function constraintValue(element: ElementDefinition, prefix: 'fixed' | 'pattern'): unknown {
  const key = Object.keys(element).find((k) => k.startsWith(prefix) && /^[A-Z]/.test(k.slice(prefix.length)));
  return key === undefined ? undefined : (element as unknown as Json)[key];
}

function checkFixed(occurrence: Occurrence, element: ElementDefinition, label: string): ValidationIssue[] {
  const fixed = constraintValue(element, 'fixed');
  if (fixed === undefined || JSON.stringify(occurrence.value) === JSON.stringify(fixed)) {
    return [];
  }
  return [{ code: 'value', expression: occurrence.path, message: `${label} must be ${show(fixed)}` }];
}

function checkPattern(occurrence: Occurrence, element: ElementDefinition, label: string): ValidationIssue[] {
  const pattern = constraintValue(element, 'pattern');
  if (pattern === undefined || matchesPattern(occurrence.value, pattern)) {
    return [];
  }
  return [{ code: 'value', expression: occurrence.path, message: `${label} must include ${show(pattern)}` }];
}

/** profiling.html#pattern: every element of the pattern is in the value; arrays item by item. */
function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((p) => value.some((v) => matchesPattern(v, p)));
  }
  if (isObject(pattern)) {
    return isObject(value) && Object.entries(pattern).every(([k, p]) => matchesPattern(value[k], p));
  }
  return value === pattern;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** terminologies.html#required: every coding must come from the ValueSet. */
function checkBinding(occurrence: Occurrence, element: ElementDefinition, label: string): ValidationIssue[] {
  const binding = element.binding;
  if (binding?.strength !== 'required' || !binding.valueSet) {
    return [];
  }
  const codes = allowedCodes(binding.valueSet);
  if (!codes) {
    throw new Error(`ValueSet ${binding.valueSet} is not in fhir-profiles/terminology`);
  }
  const { value, path } = occurrence;
  if (typeof value === 'string') {
    const known = [...codes.systems.values()].some((system) => system.has(value));
    return known ? [] : [notAllowed(path, label, value, codes)];
  }
  if (!isObject(value)) {
    return [];
  }
  if (!Array.isArray(value['coding'])) {
    // A Coding (code/system) rather than a CodeableConcept.
    if ('code' in value || 'system' in value) {
      return checkCoding(value, path, label, codes);
    }
    return [
      {
        code: 'required',
        expression: `${path}.coding`,
        message: `${label} needs a code: ${describeCodes(codes)}`,
      },
    ];
  }
  const codings = value['coding'].filter(isObject);
  if (codings.length === 0) {
    return [
      {
        code: 'required',
        expression: `${path}.coding`,
        message: `${label} needs a code: ${describeCodes(codes)}`,
      },
    ];
  }
  return codings.flatMap((coding, i) => checkCoding(coding, `${path}.coding[${i}]`, label, codes));
}

function checkCoding(coding: Json, path: string, label: string, codes: AllowedCodes): ValidationIssue[] {
  const system = coding['system'];
  const expected = [...codes.systems.keys()][0]!;
  if (typeof system !== 'string') {
    return [
      {
        code: 'code-invalid',
        expression: `${path}.system`,
        message: `${label} must say its code system: ${expected}`,
      },
    ];
  }
  const systemCodes = codes.systems.get(system);
  if (!systemCodes) {
    return [
      {
        code: 'code-invalid',
        expression: `${path}.system`,
        message: `${label} must use the code system ${expected}, not ${system}`,
      },
    ];
  }
  const code = coding['code'];
  if (typeof code === 'string' && systemCodes.has(code)) {
    return [];
  }
  return [notAllowed(`${path}.code`, label, String(code), codes)];
}

function notAllowed(path: string, label: string, code: string, codes: AllowedCodes): ValidationIssue {
  return {
    code: 'code-invalid',
    expression: path,
    message: `${label}: '${code}' is not an accepted code; use one of ${describeCodes(codes)}`,
  };
}

/** A literal reference `Type/id` (relative or absolute) must name a type its targetProfile allows. */
function checkReferenceTarget(
  occurrence: Occurrence,
  element: ElementDefinition,
  label: string,
): ValidationIssue[] {
  const targets = (element.type ?? []).flatMap((t) => t.targetProfile ?? []).map(resourceTypeOf);
  const { value } = occurrence;
  if (targets.length === 0 || !isObject(value) || typeof value['reference'] !== 'string') {
    return [];
  }
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+(?:\/_history\/[^/]+)?$/.exec(value['reference']);
  // urn:uuid: (Bundle entries) and #contained references are resolved elsewhere.
  if (!match || targets.includes(match[1]!)) {
    return [];
  }
  return [
    {
      code: 'value',
      expression: `${occurrence.path}.reference`,
      message: `${label} must point to ${targets.join(' or ')}, not to ${match[1]}`,
    },
  ];
}

function resourceTypeOf(profileUrl: string): string {
  const base = /^http:\/\/hl7\.org\/fhir\/StructureDefinition\/([A-Za-z]+)$/.exec(profileUrl);
  return base ? base[1]! : (structureDefinitionByUrl(profileUrl)?.type ?? profileUrl);
}
