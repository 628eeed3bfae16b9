import { KingaError } from '../../../domain/shared/errors.ts';
import { ADX_MEDIA_TYPE } from './adx.ts';

/** The three forms of one cube, in the order an equal preference picks them (JSON, DHIS2's default). */
export const IndicatorMediaTypes = ['application/json', ADX_MEDIA_TYPE, 'application/fhir+json'] as const;
export type IndicatorMediaType = (typeof IndicatorMediaTypes)[number];

interface Range {
  type: string;
  subtype: string;
  q: number;
}

function rangesOf(accept: string): Range[] {
  return accept
    .split(',')
    .map((part) => {
      const [media = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const [type = '', subtype = ''] = media.split('/');
      const qParam = params.find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { type, subtype, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '');
}

/** How well `range` matches `media` (RFC 9110 §12.5.1: the most specific range applies): -1 not at all. */
function specificity(range: Range, media: string): number {
  const [type, subtype] = media.split('/');
  if (range.type === type && range.subtype === subtype) {
    return 2;
  }
  if (range.type === type && range.subtype === '*') {
    return 1;
  }
  return range.type === '*' && range.subtype === '*' ? 0 : -1;
}

/**
 * The form an Accept header asks for (RFC 9110 §12.5.1): each media type gets the quality of the
 * most specific range matching it; the highest wins, ties in IndicatorMediaTypes' order. No Accept
 * header is JSON; one that accepts none of the three is a 406.
 */
export function negotiateIndicatorMedia(accept: string | undefined): IndicatorMediaType {
  if (accept === undefined || accept.trim() === '') {
    return 'application/json';
  }
  const ranges = rangesOf(accept);
  let best: { media: IndicatorMediaType; q: number } | undefined;
  for (const media of IndicatorMediaTypes) {
    let match: { specificity: number; q: number } | undefined;
    for (const range of ranges) {
      const s = specificity(range, media);
      if (s >= 0 && (!match || s > match.specificity)) {
        match = { specificity: s, q: range.q };
      }
    }
    if (match && match.q > 0 && (!best || match.q > best.q)) {
      best = { media, q: match.q };
    }
  }
  if (!best) {
    throw new KingaError('indicator.not-acceptable', {});
  }
  return best.media;
}
