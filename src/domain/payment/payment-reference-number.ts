import { randomInt } from 'node:crypto';

/**
 * Payment references ("control numbers") are typed by payers into a phone (M-Pesa BillRefNumber,
 * at most 12 characters for STK AccountReference): 12 digits, 10 random and 2 check digits of
 * ISO 7064 MOD 97-10 (as IBAN), which catch every single-digit error and every swap of two
 * neighbouring digits, so a mistyped reference matches nothing instead of someone else's policy.
 */
export const REFERENCE_LENGTH = 12;

function mod97(digits: string): number {
  let rest = 0;
  for (const digit of digits) {
    rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/** The two check digits of `body` (digits only). */
export function checkDigits(body: string): string {
  return String(98 - mod97(`${body}00`)).padStart(2, '0');
}

/** A new reference: 10 random digits (no leading zero, which phones and spreadsheets drop) and the check. */
export function newReferenceNumber(): string {
  const body = `${randomInt(1, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
  return `${body}${checkDigits(body)}`;
}

/** Whether `text` (spaces and dashes a payer may type are ignored) is a well-formed reference. */
export function isReferenceNumber(text: string): boolean {
  const digits = normaliseReference(text);
  return /^\d{12}$/.test(digits) && mod97(digits) === 1;
}

export function normaliseReference(text: string): string {
  return text.replace(/[\s-]/g, '');
}
