import type { ConfirmationType, FamilyType } from './family.entity.ts';

export interface FamilyInput {
  id?: string;
  /** The head, by record id; joins the members when not listed among them. */
  headId?: string | null;
  /** Without headId: the member holding this insurance number heads the family (openIMIS names a family by its head's number). */
  headInsuranceNumber?: string | null;
  memberIds: string[];
  villageId?: string | null;
  type?: FamilyType | null;
  poverty?: boolean | null;
  addressText?: string | null;
  municipality?: string | null;
  confirmationNumber?: string | null;
  confirmationType?: ConfirmationType | null;
}
