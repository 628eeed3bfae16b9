import type { StatementLine } from '../../../domain/payment/reconcile-statement.ts';
import { isIsoDate, type IsoDate } from '../../../domain/shared/dates.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { compareMoney, isMoney, normaliseMoney, ZERO, type Money } from '../../../domain/shared/money.ts';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../../../platform/http/csv.ts';

type Role = 'transaction' | 'amount' | 'date' | 'reference' | 'payer' | 'status' | 'withdrawn';

/**
 * The column names each role answers to, best first, compared without case, spaces or
 * punctuation: M-Pesa's statement export (Receipt No., Completion Time, Paid In, Withdrawn, A/C
 * No. or Details, Other Party Info, Transaction Status) and a plain form
 * (transaction_id,amount,date,reference), with the names other providers' exports use.
 */
const COLUMNS: Record<Role, readonly string[]> = {
  transaction: [
    'receiptno',
    'receipt',
    'receiptnumber',
    'transactionid',
    'transid',
    'txnid',
    'financialtransactionid',
    'transaction',
    'id',
  ],
  amount: ['paidin', 'amount', 'transamount', 'transactionamount', 'amountreceived', 'credit'],
  date: ['completiontime', 'date', 'transactiondate', 'transtime', 'completedat', 'valuedate', 'time'],
  reference: [
    'acno',
    'accountno',
    'accountnumber',
    'account',
    'reference',
    'billrefnumber',
    'accountreference',
    'externalid',
    'details',
  ],
  payer: ['otherpartyinfo', 'payer', 'msisdn', 'phone', 'sender', 'from'],
  status: ['transactionstatus', 'status'],
  withdrawn: ['withdrawn', 'debit'],
};
const REQUIRED: readonly Role[] = ['transaction', 'amount', 'date'];
const DESCRIBED: Record<'transaction' | 'amount' | 'date', string> = {
  transaction: 'a transaction id (Receipt No., transaction_id)',
  amount: 'an amount (Paid In, amount)',
  date: 'a date (Completion Time, date)',
};
/** A header may follow a few lines of preamble (account holder, period) in a provider's export. */
const HEADER_SEARCH = 20;
/** A line in one of these statuses is money received; a failed or cancelled one is left out. */
const RECEIVED = ['completed', 'complete', 'success', 'successful', 'succeeded', 'paid'];

type Columns = Partial<Record<Role, number>>;

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function malformed(line: number, column: string, detail: string): KingaError {
  return new KingaError('payment.statement-malformed', { line, column, detail });
}

/**
 * A provider's statement in CSV as the lines of money received: a header row naming the columns,
 * then one line per transaction. Withdrawals (no amount paid in, an amount withdrawn) and lines
 * whose status is not a completed payment are left out. Any line that cannot be read refuses the
 * whole file, naming its line and column: a statement is reconciled whole or not at all.
 */
export function readStatement(text: string): StatementLine[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw malformed(error.line, String(error.field), error.message);
    }
    throw error;
  }
  if (records.length === 0) {
    throw malformed(1, '(header)', 'the statement is empty: a header row is expected');
  }
  const headerAt = records.slice(0, HEADER_SEARCH).findIndex((r) => missingOf(columnsOf(r)).length === 0);
  if (headerAt === -1) {
    const header = records[0]!;
    const missing = missingOf(columnsOf(header));
    throw malformed(
      header.line,
      '(header)',
      `no header row names ${missing.map((r) => DESCRIBED[r as keyof typeof DESCRIBED]).join(', ')}`,
    );
  }
  const header = records[headerAt]!;
  const columns = columnsOf(header);
  const lines: StatementLine[] = [];
  const seen = new Map<string, number>();
  for (const record of records.slice(headerAt + 1)) {
    const line = lineOf(record, header, columns);
    if (!line) {
      continue;
    }
    const first = seen.get(line.transactionId);
    if (first !== undefined) {
      throw malformed(
        record.line,
        nameOf(header, columns.transaction!),
        `transaction ${line.transactionId} is already on line ${first}`,
      );
    }
    seen.set(line.transactionId, record.line);
    lines.push(line);
  }
  return lines;
}

function columnsOf(header: CsvRecord): Columns {
  const keys = header.fields.map(key);
  const columns: Columns = {};
  for (const role of Object.keys(COLUMNS) as Role[]) {
    for (const name of COLUMNS[role]) {
      const index = keys.indexOf(name);
      if (index !== -1) {
        columns[role] = index;
        break;
      }
    }
  }
  return columns;
}

function missingOf(columns: Columns): Role[] {
  return REQUIRED.filter((role) => columns[role] === undefined);
}

function nameOf(header: CsvRecord, index: number): string {
  return `${index + 1} (${header.fields[index]!.trim()})`;
}

/** One statement line, or undefined for a line that is not money received. */
function lineOf(record: CsvRecord, header: CsvRecord, columns: Columns): StatementLine | undefined {
  const value = (role: Role) =>
    columns[role] === undefined ? '' : (record.fields[columns[role]] ?? '').trim();
  const at = (role: Role) => nameOf(header, columns[role]!);
  const status = value('status').toLowerCase();
  if (status !== '' && !RECEIVED.includes(status)) {
    return undefined;
  }
  const paidIn = value('amount');
  const withdrawn = value('withdrawn');
  if ((paidIn === '' || isZero(paidIn)) && withdrawn !== '' && !isZero(withdrawn)) {
    return undefined;
  }
  const transactionId = value('transaction');
  if (transactionId === '') {
    throw malformed(record.line, at('transaction'), 'the transaction id is empty');
  }
  if (transactionId.length > 100) {
    throw malformed(record.line, at('transaction'), 'a transaction id has at most 100 characters');
  }
  const amount = amountOf(paidIn);
  if (!amount) {
    throw malformed(
      record.line,
      at('amount'),
      `${paidIn === '' ? 'the amount is empty' : `"${paidIn}" is not an amount received`} (a positive amount such as 1500.00 or 1,500.00)`,
    );
  }
  const date = dateOf(value('date'));
  if (!date) {
    throw malformed(
      record.line,
      at('date'),
      `"${value('date')}" is not a date (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or YYYYMMDD, a time may follow)`,
    );
  }
  const reference = value('reference');
  const payer = value('payer');
  return {
    fileLine: record.line,
    transactionId,
    amount,
    date,
    ...(reference ? { reference: reference.slice(0, 100) } : {}),
    ...(payer ? { payer: payer.slice(0, 200) } : {}),
  };
}

function isZero(text: string): boolean {
  const amount = plainAmount(text);
  return amount !== undefined && compareMoney(amount, ZERO) === 0;
}

/** "1,500.00", "1500", "-300.00": thousands separators dropped; undefined if not money. */
function plainAmount(text: string): Money | undefined {
  const plain = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
  return isMoney(plain) ? normaliseMoney(plain) : undefined;
}

function amountOf(text: string): Money | undefined {
  const amount = plainAmount(text);
  return amount !== undefined && compareMoney(amount, ZERO) > 0 ? amount : undefined;
}

/** The calendar day as the provider wrote it (its local time): no time zone moves it. */
function dateOf(text: string): IsoDate | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$/.exec(text);
  const compact = /^(\d{4})(\d{2})(\d{2})(?:\d{6})?$/.exec(text);
  const date = iso
    ? `${iso[1]}-${iso[2]}-${iso[3]}`
    : dayFirst
      ? `${dayFirst[3]}-${dayFirst[2]!.padStart(2, '0')}-${dayFirst[1]!.padStart(2, '0')}`
      : compact
        ? `${compact[1]}-${compact[2]}-${compact[3]}`
        : undefined;
  return date && isIsoDate(date) ? date : undefined;
}
