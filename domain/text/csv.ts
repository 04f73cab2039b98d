/** One CSV record with the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** A CSV text read into rows, or where it stopped being CSV. */
export type CsvReadOutcome = { ok: true; rows: CsvRow[] } | { ok: false; line: number; message: string };

/**
 * Reads CSV per RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): comma-separated fields, double-quoted fields may
 * hold commas, line breaks and `""` for a quote; CRLF or LF line ends. Blank lines are skipped, a UTF-8 BOM ignored.
 */
export function readCsv(text: string): CsvReadOutcome {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) return { ok: false, line: start, message: "a quoted field is never closed (expected '\"')" };
          field += text.slice(i, q);
          line += countNewlines(text, i, q);
          if (text[q + 1] === '"') {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        const after = text[i];
        if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
          return { ok: false, line, message: `expected ',' or a line end after a quoted field, found '${after}'` };
        }
      } else {
        let end = i;
        while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
        field = text.slice(i, end);
        if (field.includes('"')) return { ok: false, line, message: `a '"' inside an unquoted field: ${field}` };
        i = end;
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: start, fields });
  }
  return { ok: true, rows };
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
