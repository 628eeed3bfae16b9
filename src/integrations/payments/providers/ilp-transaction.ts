/**
 * The FSPIOP Transaction a Mojaloop transfer carries in its ILP packet (API Definition v1.1
 * §5.6 and §6.7.2): payee, payer, amount, note, extensionList. The packet is OER-encoded:
 * ILPv4 Prepare (type 12: amount, expiresAt, condition, destination, data), as Mojaloop's SDKs
 * send it, or the ILP v1 payment of the specification's listings (type 1: amount, account, data,
 * without the envelope length in Listing 47). Its data is the Transaction's JSON, base64url
 * encoded (or plain in the listings).
 */
export interface IlpTransaction {
  transactionId?: string;
  note?: string;
  payee?: { partyIdInfo?: PartyIdInfo };
  payer?: { partyIdInfo?: PartyIdInfo };
  extensionList?: ExtensionList;
}

export interface PartyIdInfo {
  partyIdType?: string;
  partyIdentifier?: string;
  partySubIdOrType?: string;
  fspId?: string;
}

export interface ExtensionList {
  extension?: { key?: string; value?: string }[];
}

class Reader {
  readonly #bytes: Buffer;
  #at: number;

  constructor(bytes: Buffer, at = 0) {
    this.#bytes = bytes;
    this.#at = at;
  }

  take(length: number): Buffer {
    if (this.#at + length > this.#bytes.length) {
      throw new RangeError('the ILP packet ends early');
    }
    const slice = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return slice;
  }

  /** An OER length determinant: one byte below 128, else 0x80 + the number of length bytes. */
  length(): number {
    const first = this.take(1)[0]!;
    if (first < 0x80) {
      return first;
    }
    const size = first & 0x7f;
    if (size === 0 || size > 4) {
      throw new RangeError('an ILP length is out of range');
    }
    return this.take(size).reduce((sum, byte) => sum * 256 + byte, 0);
  }

  octets(): Buffer {
    return this.take(this.length());
  }
}

/** The data field of the packet, by its type; undefined when the packet is not one of the two. */
function packetData(bytes: Buffer): Buffer | undefined {
  const type = bytes[0];
  if (type === 12) {
    const reader = new Reader(bytes, 1);
    const content = new Reader(reader.octets());
    content.take(8 + 17 + 32); // amount, expiresAt, executionCondition
    content.octets(); // destination
    return content.octets();
  }
  if (type === 1) {
    for (const enveloped of [true, false]) {
      try {
        const reader = new Reader(bytes, 1);
        const content = enveloped ? new Reader(reader.octets()) : reader;
        content.take(8); // amount
        content.octets(); // account
        return content.octets();
      } catch {
        // Listing 47 omits the envelope length: read the content directly.
      }
    }
  }
  return undefined;
}

function asJson(data: Buffer): IlpTransaction | undefined {
  const text = data.toString('utf8').trimStart();
  const json = text.startsWith('{') ? text : Buffer.from(text.trim(), 'base64url').toString('utf8');
  const parsed = JSON.parse(json) as IlpTransaction | null;
  return parsed && typeof parsed === 'object' ? parsed : undefined;
}

/** The Transaction in `ilpPacket` (base64url), or undefined when it cannot be read. */
export function ilpTransaction(ilpPacket: unknown): IlpTransaction | undefined {
  if (typeof ilpPacket !== 'string' || ilpPacket.length > 32_768) {
    return undefined;
  }
  try {
    const data = packetData(Buffer.from(ilpPacket.replace(/=+$/, ''), 'base64url'));
    return data ? asJson(data) : undefined;
  } catch {
    return undefined;
  }
}
