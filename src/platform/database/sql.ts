/**
 * A small composer for parameterised SQL: values become $n placeholders, fragments nest, and
 * identifiers come only from code (`raw`), never from requests.
 */
export class Sql {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.strings = strings;
    this.values = values;
  }

  /** Renders to text with $1.. placeholders, numbering from `offset + 1`. */
  toQuery(offset = 0): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values, offset);
    return { text, values };
  }

  private render(values: unknown[], offset: number): string {
    let text = this.strings[0] ?? '';
    for (let i = 0; i < this.values.length; i++) {
      const value = this.values[i];
      if (value instanceof Sql) {
        text += value.render(values, offset);
      } else {
        values.push(value);
        text += `$${offset + values.length}`;
      }
      text += this.strings[i + 1] ?? '';
    }
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (identifiers, keywords) chosen by code. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) {
    return raw('');
  }
  const strings: string[] = [''];
  const values: unknown[] = [];
  fragments.forEach((fragment, i) => {
    if (i > 0) {
      strings[strings.length - 1] += separator;
    }
    values.push(fragment);
    strings.push('');
  });
  return new Sql(strings, values);
}

export const emptySql = raw('');
