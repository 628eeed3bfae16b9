/**
 * The scheme's insurance number (openIMIS CHFID): an optional fixed length and an optional check
 * digit. openIMIS's "modulo root" rule takes the last digit as the remainder of the rest divided by
 * the root; Luhn is offered for schemes that print cards with it.
 */
export interface InsuranceNumberRules {
  length?: number;
  checkDigit: 'none' | 'luhn' | 'modulo';
  modulo: number;
  /** Only numbers of blocks allocated to enrolment officers (pre-printed cards) are accepted. */
  requireAllocation?: boolean;
}

/** Why `number` is not a valid insurance number, or undefined when it is. */
export function insuranceNumberProblem(number: string, rules: InsuranceNumberRules): string | undefined {
  if (!/^[A-Za-z0-9-]{1,50}$/.test(number)) {
    return 'only letters, digits and hyphens, at most 50';
  }
  if (rules.length !== undefined && number.length !== rules.length) {
    return `must have ${rules.length} characters`;
  }
  if (rules.checkDigit === 'none') {
    return undefined;
  }
  if (!/^\d{2,}$/.test(number)) {
    return 'must be digits only when a check digit is used';
  }
  const body = number.slice(0, -1);
  const check = Number(number.at(-1));
  const expected = rules.checkDigit === 'luhn' ? luhnCheckDigit(body) : moduloCheckDigit(body, rules.modulo);
  return check === expected ? undefined : 'check digit does not match';
}

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Remainder of the (arbitrarily long) decimal `body` divided by `modulo`. */
export function moduloCheckDigit(body: string, modulo: number): number {
  let remainder = 0;
  for (const char of body) {
    remainder = (remainder * 10 + Number(char)) % modulo;
  }
  return remainder;
}

/** Appends the check digit the rules ask for (used by the seed and number blocks). */
export function withCheckDigit(body: string, rules: InsuranceNumberRules): string {
  if (rules.checkDigit === 'none') {
    return body;
  }
  const digit = rules.checkDigit === 'luhn' ? luhnCheckDigit(body) : moduloCheckDigit(body, rules.modulo);
  return `${body}${digit}`;
}
