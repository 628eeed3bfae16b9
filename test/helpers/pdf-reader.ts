import jsQRModule from 'jsqr';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, OPS, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

const standardFontDataUrl = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
const POINTS_PER_MM = 72 / 25.4;
// jsqr is CommonJS whose module.exports is the function; its types describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

export interface PdfImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8ClampedArray;
}

export interface PdfPage {
  widthMm: number;
  heightMm: number;
  text: string;
  images: PdfImage[];
}

/** The pages of a PDF as a reader sees them: size in millimetres, text, and the raster images drawn. */
export async function readPdf(bytes: Buffer): Promise<PdfPage[]> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl,
    verbosity: VerbosityLevel.ERRORS,
  });
  const document = await task.promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    const operators = await page.getOperatorList();
    const images: PdfImage[] = [];
    for (let i = 0; i < operators.fnArray.length; i++) {
      if (operators.fnArray[i] === OPS.paintImageXObject) {
        const name = operators.argsArray[i][0] as string;
        const image = await new Promise<any>((resolve) => page.objs.get(name, resolve));
        images.push({ width: image.width, height: image.height, rgba: toRgba(image) });
      }
    }
    pages.push({ widthMm: (x1 - x0) / POINTS_PER_MM, heightMm: (y1 - y0) / POINTS_PER_MM, text, images });
  }
  await task.destroy();
  return pages;
}

/** pdf.js image kinds: 1 grey 1 bpp, 2 RGB 24 bpp, 3 RGBA 32 bpp. */
function toRgba(image: {
  width: number;
  height: number;
  kind: number;
  data: Uint8ClampedArray;
}): Uint8ClampedArray {
  const pixels = image.width * image.height;
  if (image.kind === 3) {
    return image.data;
  }
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    if (image.kind === 2) {
      rgba.set(image.data.subarray(p * 3, p * 3 + 3), p * 4);
    } else {
      const bit = (image.data[Math.floor(p / 8)]! >> (7 - (p % 8))) & 1;
      rgba.fill(bit ? 255 : 0, p * 4, p * 4 + 3);
    }
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** The text of the first image of the page that is a QR code, if any. */
export function qrTextOf(page: PdfPage): string | undefined {
  for (const image of page.images) {
    const code = jsQR(image.rgba, image.width, image.height);
    if (code) {
      return code.data;
    }
  }
  return undefined;
}
