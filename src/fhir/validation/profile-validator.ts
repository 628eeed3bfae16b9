import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { structureDefinitions } from '../conformance/profiles.ts';
import { checkOccurrence } from './element-rules.ts';
import { isObject, occurrencesOf, type Occurrence } from './occurrences.ts';
import { elementTree, type ElementNode } from './profile-tree.ts';
import { dedupeIssues, type ValidationIssue } from './validation-issue.ts';

/**
 * Checks a resource against one of Kinga's profiles (fhir-profiles/structure-definitions). It
 * interprets the differential constraints Kinga's profiles use: min/max per instance of the parent,
 * fixed[x], pattern[x], required bindings to fhir-profiles/terminology ValueSets, value[x] types,
 * reference targets, and extension slices by url (with the extension's own definition when Kinga
 * hosts it). Slicing is open: elements and extensions the profile does not name are accepted.
 */
export function validateProfile(resource: Resource, profileUrl: string): ValidationIssue[] {
  const definition = byUrl().get(profileUrl);
  if (!definition) {
    throw new Error(`Profile ${profileUrl} is not in fhir-profiles/structure-definitions`);
  }
  return validateAgainst(resource, definition);
}

let index: Map<string, StructureDefinition> | undefined;

function byUrl(): Map<string, StructureDefinition> {
  index ??= new Map([...structureDefinitions().values()].map((d) => [d.url, d]));
  return index;
}

export function validateAgainst(resource: Resource, definition: StructureDefinition): ValidationIssue[] {
  if (resource.resourceType !== definition.type) {
    return [
      {
        code: 'structure',
        expression: 'resourceType',
        message: `${definition.title ?? definition.name} is a profile of ${definition.type}, not ${resource.resourceType}`,
      },
    ];
  }
  const root = elementTree(definition);
  const label = labelOf(root, definition.type);
  return dedupeIssues(checkChildren(resource as unknown as Record<string, unknown>, root, root.id, label));
}

/** The constraints of `node`'s children on one occurrence of `node` (an object at `path`). */
function checkChildren(
  value: Record<string, unknown>,
  node: ElementNode,
  path: string,
  label: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of new Set(node.children.map((c) => c.name))) {
    const occurrences = occurrencesOf(value, name, path);
    for (const child of node.children.filter((c) => c.name === name)) {
      if (child.sliceName) {
        const url = sliceUrl(child);
        const matched = occurrences.filter((o) => isObject(o.value) && o.value['url'] === url);
        const childLabel = labelOf(child, label);
        issues.push(...checkCardinality(matched.length, child, `${path}.${name}('${url}')`, childLabel));
        for (const occurrence of matched) {
          issues.push(...checkOne(occurrence, child, childLabel));
        }
      } else {
        const childLabel = labelOf(child, label);
        const at = `${path}.${name.replace('[x]', '')}`;
        issues.push(...checkCardinality(occurrences.length, child, at, childLabel));
        for (const occurrence of occurrences) {
          issues.push(...checkOne(occurrence, child, childLabel));
        }
      }
    }
  }
  return issues;
}

function checkOne(occurrence: Occurrence, node: ElementNode, label: string): ValidationIssue[] {
  if (occurrence.value === undefined) {
    return [];
  }
  const issues = checkOccurrence(occurrence, node.element, label);
  if (issues.length > 0 || !isObject(occurrence.value)) {
    return issues;
  }
  issues.push(...checkChildren(occurrence.value, node, occurrence.path, label));
  // An extension Kinga defines itself is also checked against its own definition.
  const extension = extensionDefinition(node);
  if (extension) {
    issues.push(...checkChildren(occurrence.value, elementTree(extension), occurrence.path, label));
  }
  return issues;
}

function checkCardinality(count: number, node: ElementNode, path: string, label: string): ValidationIssue[] {
  const { min, max } = node.element;
  if (min !== undefined && count < min) {
    const message = min === 1 ? `${label} is required` : `${label}: at least ${min} needed, found ${count}`;
    return [{ code: 'required', expression: path, message }];
  }
  if (max !== undefined && max !== '*' && count > Number(max)) {
    const message =
      max === '0' ? `${label} is not allowed here` : `${label}: at most ${max} allowed, found ${count}`;
    return [{ code: 'structure', expression: path, message }];
  }
  return [];
}

/** An extension slice is recognised by its url: its type's profile, or a fixed url (sub-extensions). */
function sliceUrl(slice: ElementNode): string {
  const url =
    slice.element.type?.[0]?.profile?.[0] ?? slice.children.find((c) => c.name === 'url')?.element.fixedUri;
  if (!url) {
    throw new Error(`Slice ${slice.id} names no extension url (type.profile or url.fixedUri)`);
  }
  return url;
}

function extensionDefinition(node: ElementNode): StructureDefinition | undefined {
  const profile = node.element.type?.[0]?.profile?.[0];
  const definition = profile ? byUrl().get(profile) : undefined;
  return definition?.type === 'Extension' ? definition : undefined;
}

/** What a clerk calls the element: its `short` or extension title, else its parent's for value[x] and url. */
function labelOf(node: ElementNode, parentLabel: string): string {
  if (node.element.short) {
    return node.element.short;
  }
  const extension = extensionDefinition(node);
  if (extension) {
    return extension.title ?? extension.name;
  }
  if (node.name === 'value[x]' || node.name === 'url') {
    return parentLabel;
  }
  return node.sliceName ?? node.name;
}
