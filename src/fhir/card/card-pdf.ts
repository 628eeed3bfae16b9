import PDFDocument from 'pdfkit';

/** ISO/IEC 7810 ID-1, the size of a bank card: 85.60 × 53.98 mm, in PDF points (1/72 in). */
export const ID1_WIDTH = (85.6 / 25.4) * 72;
export const ID1_HEIGHT = (53.98 / 25.4) * 72;

/** What is printed on one card. */
export interface PrintedCard {
  /** The insurer's name, in the header band. */
  title: string;
  name: string;
  number: string;
  birthDate?: string;
  /** The product of the current policy, or a statement that there is none. */
  product: string;
  validUntil?: string;
  /** JPEG or PNG bytes. */
  photo?: Buffer;
  /** The SMART Health Card QR, as PNG. */
  qr: Buffer;
}

const MARGIN = 8;
const QR_SIZE = 96;
const BAND = 20;

interface Fonts {
  regular: string;
  bold: string;
  /** What the font can print of a text. */
  printable(text: string): string;
}

/**
 * One ID-1 page per card, ready for a card printer. With `fontFile` (a TrueType font) any script
 * the font covers is printed; the built-in Helvetica covers Latin-1 only, so other letters are
 * printed without their accents (Thāpā → Thapa) rather than dropped.
 */
export async function cardsPdf(cards: PrintedCard[], fontFile?: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [ID1_WIDTH, ID1_HEIGHT],
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: cards.length === 1 ? `Membership card ${cards[0]!.number}` : 'Membership cards',
      Creator: 'Kinga',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const fonts = fontsOf(doc, fontFile);
  for (const card of cards) {
    doc.addPage({ size: [ID1_WIDTH, ID1_HEIGHT], margin: 0 });
    drawCard(doc, card, fonts);
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

function fontsOf(doc: PDFKit.PDFDocument, fontFile: string | undefined): Fonts {
  if (fontFile) {
    doc.registerFont('card', fontFile);
    return { regular: 'card', bold: 'card', printable: (text) => text };
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', printable: latin1 };
}

function latin1(text: string): string {
  return [...text]
    .map((char) =>
      char.charCodeAt(0) <= 0xff ? char : char.normalize('NFD').replace(/[\u0300-\u036f]/g, '') || '?',
    )
    .map((char) => (char.charCodeAt(0) <= 0xff ? char : '?'))
    .join('');
}

function drawCard(doc: PDFKit.PDFDocument, card: PrintedCard, fonts: Fonts): void {
  const text = (
    value: string,
    x: number,
    y: number,
    width: number,
    font: string,
    size: number,
    lines = 1,
  ) => {
    doc
      .font(font)
      .fontSize(size)
      .text(fonts.printable(value), x, y, {
        width,
        height: size * 1.2 * lines,
        lineBreak: lines > 1,
        ellipsis: true,
      });
  };
  const fullWidth = ID1_WIDTH - 2 * MARGIN;
  doc.rect(0, 0, ID1_WIDTH, BAND).fill('#1f5f8b');
  doc.fillColor('#ffffff');
  text(card.title, MARGIN, 6, fullWidth, fonts.bold, 8);
  doc.fillColor('#000000');
  text(card.name, MARGIN, BAND + 4, fullWidth, fonts.bold, 9);

  // The number is the card's key: printed whole, smaller when long, never cut.
  const label = fonts.printable('Insurance no.');
  doc
    .font(fonts.regular)
    .fontSize(6)
    .fillColor('#555555')
    .text(label, MARGIN, BAND + 18, { lineBreak: false });
  const numberX = MARGIN + doc.widthOfString(label) + 3;
  const numberWidth = ID1_WIDTH - MARGIN - numberX;
  let size = 10;
  doc.font(fonts.bold);
  while (size > 4 && doc.fontSize(size).widthOfString(card.number) > numberWidth) {
    size -= 0.5;
  }
  doc.fillColor('#000000').text(card.number, numberX, BAND + 24 - size, { lineBreak: false });

  const top = BAND + 32;
  const qrX = ID1_WIDTH - MARGIN - QR_SIZE;
  doc.image(card.qr, qrX, ID1_HEIGHT - 6 - QR_SIZE, { width: QR_SIZE, height: QR_SIZE });
  const x = card.photo && drawPhoto(doc, card.photo, top) ? MARGIN + 42 : MARGIN;
  const width = qrX - 4 - x;
  let y = top;
  const field = (name: string, value: string, lines = 1) => {
    doc.fillColor('#555555');
    text(name, x, y, width, fonts.regular, 5.5);
    doc.fillColor('#000000');
    text(value, x, y + 6.5, width, fonts.regular, 7, lines);
    y += 8 + 8.4 * lines;
  };
  if (card.birthDate) {
    field('Date of birth', card.birthDate);
  }
  field('Product', card.product, 2);
  if (card.validUntil) {
    field('Covered until', card.validUntil);
  }
}

/** A photo that is not a readable JPEG or PNG is left out: the card is still worth printing. */
function drawPhoto(doc: PDFKit.PDFDocument, photo: Buffer, top: number): boolean {
  try {
    doc.image(photo, MARGIN, top, { fit: [38, 48] });
    return true;
  } catch {
    return false;
  }
}
