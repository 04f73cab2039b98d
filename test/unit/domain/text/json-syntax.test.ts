import { findJsonSyntaxError, parseJsonText, parseJsoncText } from '../../../../domain/text/json-syntax';

describe('JSON syntax errors', () => {
  it('names the line, column and what was expected for truncated JSON', () => {
    expect(parseJsonText('{\n  "a": [1,\n')).toEqual({
      ok: false,
      error: { line: 3, column: 1, message: 'expected a JSON value, found end of file' },
    });
  });

  it('describes binary garbage by code point', () => {
    expect(findJsonSyntaxError('\u0000\u00ff')).toEqual({
      line: 1,
      column: 1,
      message: 'expected a JSON value, found U+0000',
    });
  });

  it('rejects a trailing comma in JSON but accepts it, and comments, in JSONC', () => {
    expect(findJsonSyntaxError('{"a": 1,}')?.message).toBe("expected a double-quoted property name, found '}'");
    expect(parseJsoncText('{\n  // note\n  "a": [1, 2,], /* x */\n}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('keeps line numbers of JSONC errors those of the original text', () => {
    expect(parseJsoncText('{\n  // comment\n  "a": 1,,\n}')).toMatchObject({ ok: false, error: { line: 3 } });
  });

  it('leaves commas inside strings alone in JSONC', () => {
    expect(parseJsoncText('{"a": ",}", "b": "//"}')).toEqual({ ok: true, value: { a: ',}', b: '//' } });
  });
});
