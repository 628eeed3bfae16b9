import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

/**
 * Passes a request body through unchanged while hashing its raw bytes, whatever parser reads it
 * afterwards (JSON, form). `digest()` is final once the parser has read the stream to its end; a
 * body no parser read (an empty POST) digests as empty.
 */
export class BodyDigest {
  readonly #hash: Hash = createHash('sha256');

  /** The stream to hand to the parser (fastify preParsing). */
  tap(source: Readable): Readable {
    let received = 0;
    const hash = this.#hash;
    const through: Transform & { receivedEncodedLength?: number } = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        // fastify compares this with Content-Length and bodyLimit (Hooks.md, preParsing).
        through.receivedEncodedLength = received;
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    source.on('error', (error) => through.destroy(error));
    return source.pipe(through);
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}
