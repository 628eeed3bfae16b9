/**
 * Gathers writes that arrive while one statement runs into the next statement: one statement in
 * flight, and every item submitted meanwhile goes into the one after it. Under load a statement
 * writes many items for one round trip, one bind and one commit; alone, an item is written at
 * once. Each `submit` settles when its own item is written. When a statement of several items
 * fails, each item is written again alone, so one item's error is its own and the others are kept.
 * At most `maxItems` go into one statement, so that a burst makes several bounded statements
 * rather than one of unbounded size. For independent inserts only (no item depends on another).
 */
export class StatementBatcher<T> {
  readonly #write: (items: T[]) => Promise<void>;
  readonly #maxItems: number;
  #waiting: { item: T; settle: (error?: Error) => void }[] = [];
  #writing = false;

  constructor(write: (items: T[]) => Promise<void>, options: { maxItems?: number } = {}) {
    this.#write = write;
    this.#maxItems = options.maxItems ?? 100;
  }

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      void this.#next();
    });
  }

  async #next(): Promise<void> {
    if (this.#writing || this.#waiting.length === 0) {
      return;
    }
    this.#writing = true;
    const batch = this.#waiting.splice(0, this.#maxItems);
    try {
      await this.#writeSettling(batch);
    } finally {
      this.#writing = false;
      void this.#next();
    }
  }

  async #writeSettling(batch: { item: T; settle: (error?: Error) => void }[]): Promise<void> {
    try {
      await this.#write(batch.map((b) => b.item));
      batch.forEach((b) => b.settle());
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.settle(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      for (const one of batch) {
        await this.#writeSettling([one]);
      }
    }
  }
}
