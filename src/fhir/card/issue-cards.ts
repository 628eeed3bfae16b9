import { membershipCardsOf, type MembershipCard } from '../../domain/card/membership-card.ts';
import { Insuree } from '../../domain/insuree/insuree.entity.ts';
import { todayIsoDate } from '../../domain/shared/dates.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { healthCardKeys } from '../../platform/auth/health-card-keys.ts';
import type { FhirContext } from '../core/types.ts';
import { cardBundle } from './card-bundle.ts';
import { cardsPdf, type PrintedCard } from './card-pdf.ts';
import { shcQrPng } from './card-qr.ts';
import { HEALTH_CARD_TYPE, signHealthCard, toShcUri } from './health-card.ts';

const DAY_SECONDS = 86_400;

/** A live insuree by Patient id, 404 or 410 otherwise. */
export async function memberOf(context: FhirContext, id: string | undefined): Promise<Insuree> {
  const member = id && isUuid(id) ? await context.em.findOne(Insuree, { id }) : null;
  if (!member) {
    throw new KingaError('fhir.not-found', { type: 'Patient', id: id ?? '' });
  }
  if (member.deletedAt) {
    throw new KingaError('fhir.deleted', { type: 'Patient', id: member.id });
  }
  return member;
}

/** The members' cards as of today. */
export async function cardsOf(context: FhirContext, members: Insuree[]): Promise<MembershipCard[]> {
  return membershipCardsOf(context.em, members, todayIsoDate());
}

/**
 * The card's SMART Health Card: issued by the scheme (iss = its public URL, whose
 * /.well-known/jwks.json publishes the key), valid from now, and — for a covered member — until
 * the end of the cover, so that a verifier refuses it once the cover is over.
 */
export async function healthCardOf(
  context: FhirContext,
  card: MembershipCard,
  now = new Date(),
): Promise<string> {
  const keys = await healthCardKeys(context.config, context.em);
  const expiry = card.cover?.memberCover.expiryDate;
  return signHealthCard(keys, {
    iss: context.config.PUBLIC_BASE_URL,
    nbf: Math.floor(now.getTime() / 1000),
    ...(expiry ? { exp: Date.parse(`${expiry}T00:00:00Z`) / 1000 + DAY_SECONDS } : {}),
    vc: {
      type: [HEALTH_CARD_TYPE],
      credentialSubject: { fhirVersion: '4.0.1', fhirBundle: cardBundle(card, context.config) },
    },
  });
}

/** The printable cards of `members`, one ID-1 page each, in their order. */
export async function printCards(context: FhirContext, members: Insuree[]): Promise<Buffer> {
  const printed: PrintedCard[] = [];
  for (const card of await cardsOf(context, members)) {
    const qr = await shcQrPng(toShcUri(await healthCardOf(context, card)));
    printed.push(printedCardOf(card, qr));
  }
  return cardsPdf(printed, context.config.CARD_FONT_FILE);
}

function printedCardOf(card: MembershipCard, qr: Buffer): PrintedCard {
  const { member, cover } = card;
  const photo = member.photo;
  const printablePhoto =
    photo?.data && (photo.contentType === 'image/png' || photo.contentType === 'image/jpeg')
      ? Buffer.from(photo.data, 'base64')
      : undefined;
  return {
    title: card.insurer?.name ?? 'Health insurance',
    name: `${member.otherNames} ${member.lastName}`,
    number: member.insuranceNumber,
    ...(member.birthDate ? { birthDate: member.birthDate } : {}),
    product: cover ? `${cover.product.name} (${cover.product.code})` : 'no active policy',
    ...(cover ? { validUntil: cover.memberCover.expiryDate } : {}),
    ...(printablePhoto ? { photo: printablePhoto } : {}),
    qr,
  };
}
