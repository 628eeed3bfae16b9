/** A problem found in an incoming resource, naming the element by FHIRPath. */
export interface ValidationIssue {
  /** FHIR IssueType: structure, required, value, invariant, code-invalid, extension, … */
  code: string;
  expression: string;
  message: string;
  severity?: 'error' | 'warning';
}

/** Drops repeats: the same message at the same element. */
export function dedupeIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.expression}|${i.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
