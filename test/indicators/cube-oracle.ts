/**
 * Every indicator of the catalogue computed a second way: in plain JS over the specs the test
 * scheme was written from (cube-scheme.ts), not by the cube's SQL. Amounts are kept in cents and
 * rates in integers, so that nothing is rounded but the last step (half up, two decimals).
 */
import { ageBands, Indicators, type CategoryCode } from '../../src/domain/indicator/catalogue.ts';
import type { Period } from '../../src/domain/indicator/periods.ts';
import {
  claims,
  families,
  FACILITIES,
  PARENT,
  people,
  policies,
  premiums,
  type ClaimSpec,
  type FacilityKey,
  type LineSpec,
  type PersonSpec,
  type PlaceKey,
  type PolicySpec,
  type WrittenScheme,
} from './cube-scheme.ts';

/** An org unit of the test scheme by its spec key. */
export type UnitKey = PlaceKey | FacilityKey;

export interface Expected {
  /** `${indicator}|${orgUnit id}|${options in category order, joined by /}` → value. */
  values: Map<string, string>;
}

const cents = (amount: string): number => Math.round(Number(amount) * 100);
const money = (c: number): string => {
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(c);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};
/** num × multiplier / den rounded half up to two decimals, in integers. */
const rate = (num: number, den: number, multiplier: number): string => {
  const hundredths = Math.floor((2 * num * multiplier * 100 + den) / (2 * den));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
};
const dayOf = (timestamp: string): string => new Date(timestamp).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;

function ageOn(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function oracle(
  scheme: WrittenScheme,
  period: Period,
  units: readonly UnitKey[],
  options: { bounds: readonly number[]; populations: Map<UnitKey, number> },
): Expected {
  const bands = ageBands(options.bounds);
  const ageGroup = (birth: string | null): string | null => {
    if (birth === null) {
      return null;
    }
    const age = ageOn(birth, period.end);
    return bands.find((b) => age >= b.from && (b.to === null || age <= b.to))!.code;
  };
  const sex = (gender: string | null) => gender ?? 'O';
  const inPeriod = (day: string | null) => day !== null && day >= period.start && day <= period.end;
  // The instant after the period (UTC, the test cube's time zone).
  const after = new Date(`${period.end}T00:00:00Z`).getTime() + 86_400_000;
  const existed = (created: string, retired?: string) =>
    Date.parse(created) < after && (retired === undefined || Date.parse(retired) >= after);

  /** The units under an org unit (itself included): places by parent, facilities in district D. */
  const placesUnder = (unit: UnitKey): Set<string> => {
    const under = new Set<string>([unit]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [child, parent] of Object.entries(PARENT)) {
        if (parent && under.has(parent) && !under.has(child)) {
          under.add(child);
          grew = true;
        }
      }
    }
    for (const facility of FACILITIES) {
      if (under.has('D')) {
        under.add(facility);
      }
    }
    return under;
  };

  const personByKey = new Map(people.map((p) => [p.key, p]));
  const familyByKey = new Map(families.map((f) => [f.key, f]));
  const villageOf = (person: PersonSpec): PlaceKey => familyByKey.get(person.family)!.village;
  const productCode = (key: string | null) => (key ? scheme.productCode[key as 'P1' | 'P2'] : null);
  const paidBy = (policy: PolicySpec, day: string) =>
    premiums
      .filter((p) => p.policy === policy.key && p.payDate <= day)
      .reduce((sum, p) => sum + cents(p.amount), 0);

  const values = new Map<string, string>();
  for (const indicator of Indicators) {
    for (const unit of units) {
      const under = placesUnder(unit);
      const orgUnit =
        unit in scheme.place ? scheme.place[unit as PlaceKey] : scheme.facility[unit as FacilityKey];
      /** One fact: its options (null: in the total only), numerator and denominator. */
      const facts: { options: Record<string, string | null>; num: number; den: number }[] = [];
      const add = (options: Record<string, string | null>, num = 1, den = 1) =>
        facts.push({ options, num, den });
      let total: { num: number; den: number } | null = null;
      const livingHere = people.filter((p) => existed(p.created, p.retired) && under.has(villageOf(p)));
      const coverOn = (person: PersonSpec) =>
        policies.filter((pol) =>
          pol.members.some((m) => {
            const effective = m.effective === undefined ? pol.effective : m.effective;
            return (
              m.person === person.key &&
              effective !== null &&
              effective <= period.end &&
              pol.expiry >= period.end
            );
          }),
        );
      const periodClaims = claims.filter((c) => inPeriod(c.to ?? c.from) && under.has(c.facility));
      switch (indicator.code) {
        case 'NB_INSUREES':
          for (const p of livingHere) {
            add({ AGE_GROUP: ageGroup(p.birth), SEX: sex(p.gender) });
          }
          break;
        case 'NB_FAMILY':
          for (const f of families.filter((f) => existed(f.created) && under.has(f.village))) {
            const head = people.find((p) => p.family === f.key)!;
            const latest = policies
              .filter((p) => p.family === f.key && p.enrol <= period.end && p.expiry >= period.end)
              .sort((a, b) => (a.expiry === b.expiry ? 0 : a.expiry < b.expiry ? 1 : -1))[0];
            const paid = latest ? paidBy(latest, period.end) : 0;
            add({
              AGE_GROUP: ageGroup(head.birth),
              SEX: sex(head.gender),
              PAYMENT_STATUS: !latest
                ? 'NO_POLICY'
                : paid >= cents(latest.value)
                  ? 'PAID'
                  : paid > 0
                    ? 'PARTIALY_PAID'
                    : 'NOT_PAID',
              PAYMENT_STATE: !latest ? 'NO_POLICY' : latest.stage === 'N' ? 'NEW' : 'RENEW',
            });
          }
          break;
        case 'SUM_CONTRIBUTIONS':
          for (const premium of premiums.filter((p) => p.kind === 'payment' || p.kind === 'reversal')) {
            const policy = policies.find((p) => p.key === premium.policy)!;
            if (inPeriod(premium.payDate) && under.has(familyByKey.get(policy.family)!.village)) {
              add({ PRODUCT: productCode(policy.product) }, cents(premium.amount));
            }
          }
          break;
        case 'NB_CLAIM':
          for (const c of periodClaims) {
            add(claimOptions(c));
          }
          break;
        case 'NB_CLAIM_ITEM':
        case 'NB_CLAIM_SERVICE':
        case 'NB_CLAIM_SERVICE_ICD':
        case 'SUM_VALUATED_SERVICE':
        case 'SUM_ASKED_SERVICE': {
          const kind = indicator.code === 'NB_CLAIM_ITEM' ? 'item' : 'service';
          for (const c of periodClaims) {
            for (const l of c.lines.filter((l) => l.kind === kind)) {
              const measure =
                indicator.code === 'SUM_VALUATED_SERVICE'
                  ? cents(l.benefit)
                  : indicator.code === 'SUM_ASKED_SERVICE'
                    ? cents(l.submitted)
                    : (l.approved ?? l.quantity);
              add(lineOptions(c, l), measure);
            }
          }
          break;
        }
        case 'CLAIMS_RECEIVED':
          for (const c of claims.filter((c) => inPeriod(dayOf(c.created)) && under.has(c.facility))) {
            add({ CLAIM_TYPE: claimType(c) });
          }
          break;
        case 'CLAIMS_VALUATED':
        case 'DAYS_TO_VALUATION':
          for (const c of claims.filter(
            (c) => c.valuatedAt && inPeriod(dayOf(c.valuatedAt)) && under.has(c.facility),
          )) {
            if (indicator.code === 'CLAIMS_VALUATED') {
              add({ CLAIM_TYPE: claimType(c) });
            } else {
              add({}, daysBetween(c.claimed, dayOf(c.valuatedAt!)));
            }
          }
          break;
        case 'REJECTION_RATE': {
          const lines = periodClaims.flatMap((c) => c.lines);
          for (const l of lines) {
            add(
              { REJECTION_REASON: l.status === 'rejected' ? String(l.reason) : null },
              l.status === 'rejected' ? 1 : 0,
            );
          }
          break;
        }
        case 'ACTIVE_POLICIES':
          for (const p of policies) {
            if (
              p.effective !== null &&
              p.effective <= period.end &&
              p.expiry >= period.end &&
              under.has(familyByKey.get(p.family)!.village)
            ) {
              add({ PRODUCT: productCode(p.product) });
            }
          }
          break;
        case 'MEMBERS_COVERED': {
          let members = 0;
          for (const person of livingHere) {
            const covers = coverOn(person);
            members += covers.length > 0 ? 1 : 0;
            for (const product of new Set(covers.map((c) => c.product))) {
              add({
                PRODUCT: productCode(product),
                SEX: sex(person.gender),
                AGE_GROUP: ageGroup(person.birth),
              });
            }
          }
          total = members > 0 ? { num: members, den: 1 } : null;
          break;
        }
        case 'POLICIES_ENROLLED':
        case 'PREMIUM_DUE':
        case 'PREMIUM_COLLECTED':
          for (const p of policies.filter(
            (p) => inPeriod(p.enrol) && under.has(familyByKey.get(p.family)!.village),
          )) {
            const measure =
              indicator.code === 'POLICIES_ENROLLED'
                ? 1
                : indicator.code === 'PREMIUM_DUE'
                  ? cents(p.value)
                  : paidBy(p, period.end);
            add(
              indicator.code === 'POLICIES_ENROLLED'
                ? { PRODUCT: productCode(p.product), PAYMENT_STATE: p.stage === 'N' ? 'NEW' : 'RENEW' }
                : { PRODUCT: productCode(p.product) },
              measure,
            );
          }
          break;
        case 'RENEWAL_RATE':
          for (const p of policies.filter(
            (p) => inPeriod(p.expiry) && under.has(familyByKey.get(p.family)!.village),
          )) {
            add({ PRODUCT: productCode(p.product) }, policies.some((r) => r.previous === p.key) ? 1 : 0);
          }
          break;
        case 'UTILISATION_PER_1000':
        case 'COVERAGE_PER_1000': {
          const members = livingHere.filter((p) => coverOn(p).length > 0).length;
          if (indicator.code === 'UTILISATION_PER_1000') {
            const ofInsurees = claims.filter(
              (c) => inPeriod(c.to ?? c.from) && under.has(villageOf(personByKey.get(c.insuree)!)),
            ).length;
            total = members > 0 ? { num: ofInsurees, den: members } : null;
          } else {
            const population = options.populations.get(unit);
            total = members > 0 && population ? { num: members, den: population } : null;
          }
          break;
        }
        default:
          throw new Error(`the oracle does not know ${indicator.code}`);
      }

      // The total over every fact (unless set above), and one value per full combination of options.
      if (total === null && facts.length > 0) {
        total = facts.reduce((t, f) => ({ num: t.num + f.num, den: t.den + f.den }), { num: 0, den: 0 });
      }
      const strata = new Map<string, { num: number; den: number }>();
      for (const fact of facts) {
        const options = indicator.categories.map((c: CategoryCode) => fact.options[c] ?? null);
        if (indicator.categories.length === 0 || options.some((o) => o === null)) {
          continue;
        }
        const key = options.join('/');
        const cell = strata.get(key) ?? { num: 0, den: 0 };
        strata.set(key, { num: cell.num + fact.num, den: cell.den + fact.den });
      }
      const format = (cell: { num: number; den: number }, den: number): string | null => {
        if (indicator.rate) {
          const multiplier = indicator.unit === 'percent' ? 100 : indicator.unit === 'per-1000' ? 1000 : 1;
          return den > 0 ? rate(cell.num, den, multiplier) : null;
        }
        return indicator.unit === 'money' ? money(cell.num) : String(cell.num);
      };
      const set = (key: string, value: string | null) => {
        if (value !== null) {
          values.set(`${indicator.code}|${orgUnit}|${key}`, value);
        }
      };
      if (total) {
        set('', format(total, total.den));
      } else if (indicator.zeroIsSignificant && !indicator.rate) {
        set('', indicator.unit === 'money' ? '0.00' : '0');
      }
      for (const [key, cell] of strata) {
        // A rejection reason's rate is over every line, not the lines of that reason.
        set(key, format(cell, indicator.code === 'REJECTION_RATE' ? total!.den : cell.den));
      }
    }
  }
  return { values };

  function claimProduct(c: ClaimSpec): string {
    const first =
      c.lines.find((l) => l.status === 'passed' && l.product) ?? c.lines.find((l) => l.product) ?? null;
    return productCode(first?.product ?? null) ?? 'NONE';
  }
  function claimType(c: ClaimSpec): string {
    return c.visit === 'emergency' ? 'EMERGENCY' : c.visit === 'referral' ? 'REFERRALS' : 'OTHER';
  }
  function claimOptions(c: ClaimSpec): Record<string, string | null> {
    const insuree = personByKey.get(c.insuree)!;
    const status = {
      valuated: 'APPROVED',
      processed: 'PROCESSED',
      checked: 'CHECKED',
      entered: 'ENTERED',
      rejected: 'REJECTED',
    };
    return {
      PRODUCT: claimProduct(c),
      CLAIM_STATUS: status[c.status],
      CLAIM_TYPE: claimType(c),
      SEX: sex(insuree.gender),
      AGE_GROUP: ageGroup(insuree.birth),
      ICD: scheme.diagnosisCode[c.diagnosis],
    };
  }
  function lineOptions(c: ClaimSpec, l: LineSpec): Record<string, string | null> {
    const assessed = ['checked', 'processed', 'valuated'].includes(c.status);
    return {
      ...claimOptions(c),
      PRODUCT: productCode(l.product) ?? claimProduct(c),
      DETAIL_STATUS: l.status === 'rejected' ? 'REJECTED' : assessed ? 'APPROVED' : 'NOT_ASSESSED',
      SERVICE: l.code,
    };
  }
}
