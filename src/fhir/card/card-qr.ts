import QRCode, { type QRCodeSegment } from 'qrcode';

/** The largest QR a SMART Health Card may use: 105 × 105 modules, scannable at 40 × 40 mm. */
const MAX_QR_VERSION = 22;

/**
 * The QR of a `shc:/` string: a byte-mode segment for the `shc:/` prefix and a numeric-mode one
 * for the digits (spec.smarthealth.cards "Encoding QRs"), at the strongest error correction that
 * still fits version 22. A PNG with 4 pixels per module, for the card's print resolution.
 */
export async function shcQrPng(shc: string): Promise<Buffer> {
  const segments: QRCodeSegment[] = [
    { data: Buffer.from('shc:/'), mode: 'byte' },
    { data: shc.slice('shc:/'.length), mode: 'numeric' },
  ];
  const level =
    (['Q', 'M'] as const).find(
      (l) => QRCode.create(segments, { errorCorrectionLevel: l }).version <= MAX_QR_VERSION,
    ) ?? 'L';
  return QRCode.toBuffer(segments, { errorCorrectionLevel: level, margin: 2, scale: 4 });
}
