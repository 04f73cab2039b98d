import { readCsv } from '../../../../domain/text/csv';

describe('readCsv (RFC 4180)', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, with CRLF line ends', () => {
    const out = readCsv('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\r\n');
    expect(out).toEqual({
      ok: true,
      rows: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x, y', 'say "hi"'] },
        { line: 3, fields: ['multi\nline', 'z'] },
      ],
    });
  });

  it('skips blank lines, keeps empty fields and ignores a BOM', () => {
    expect(readCsv('\ufeffa,b\n\n,c\n')).toEqual({
      ok: true,
      rows: [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['', 'c'] },
      ],
    });
  });

  it('reports an unclosed quote with the line it starts on', () => {
    expect(readCsv('a,b\nx,"never closed\n')).toEqual({
      ok: false,
      line: 2,
      message: "a quoted field is never closed (expected '\"')",
    });
  });

  it('reports text after a closing quote', () => {
    expect(readCsv('"a"b,c\n')).toMatchObject({ ok: false, line: 1, message: expect.stringContaining("found 'b'") });
  });
});
