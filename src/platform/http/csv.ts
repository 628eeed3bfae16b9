/** One record of a CSV file, with the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A file that is not CSV, at a line and field (1-based). */
export class CsvSyntaxError extends Error {
  readonly line: number;
  readonly field: number;

  constructor(line: number, field: number, message: string) {
    super(message);
    this.line = line;
    this.field = field;
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Reads CSV as RFC 4180 has it (quoted fields with "" for a quote, line breaks inside quotes, CRLF
 * or LF), as spreadsheets export it: a byte order mark is dropped, the delimiter is the one of
 * comma, semicolon or tab the first line uses most, a quote inside an unquoted field is kept as
 * text, and blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = delimiterOf(input);
  const records: CsvRecord[] = [];
  let line = 1;
  let at = 0;
  while (at < input.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let ended = false;
    while (!ended) {
      if (input[at] === '"') {
        // A quoted field: up to the closing quote, which must end the field.
        at += 1;
        for (;;) {
          if (at >= input.length) {
            throw new CsvSyntaxError(start, fields.length + 1, 'a quoted field is not closed');
          }
          const char = input[at]!;
          if (char === '"' && input[at + 1] === '"') {
            field += '"';
            at += 2;
          } else if (char === '"') {
            at += 1;
            break;
          } else {
            if (char === '\n') {
              line += 1;
            }
            field += char;
            at += 1;
          }
        }
        const next = input[at];
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          throw new CsvSyntaxError(line, fields.length + 1, 'text follows the closing quote of a field');
        }
      }
      while (at < input.length && input[at] !== delimiter && input[at] !== '\r' && input[at] !== '\n') {
        field += input[at];
        at += 1;
      }
      fields.push(field);
      field = '';
      if (input[at] === delimiter) {
        at += 1;
      } else {
        if (input[at] === '\r') {
          at += 1;
        }
        if (input[at] === '\n') {
          at += 1;
        }
        line += 1;
        ended = true;
      }
    }
    if (fields.some((f) => f.trim() !== '')) {
      records.push({ line: start, fields });
    }
  }
  return records;
}

function delimiterOf(input: string): string {
  const firstLine = input.slice(0, input.search(/\r|\n/) === -1 ? undefined : input.search(/\r|\n/));
  const counts = DELIMITERS.map((d) => firstLine.split(d).length - 1);
  const most = Math.max(...counts);
  return most === 0 ? ',' : DELIMITERS[counts.indexOf(most)]!;
}
