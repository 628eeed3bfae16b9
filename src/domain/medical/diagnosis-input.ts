/** One diagnosis as a caller states it. */
export interface DiagnosisInput {
  code: string;
  name: string;
}

/** The whole list: its title and every live diagnosis (those left out are retired). */
export interface DiagnosisListInput {
  title: string;
  diagnoses: DiagnosisInput[];
}
