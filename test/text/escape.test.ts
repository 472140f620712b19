import { csvCell, dotString, escapeMarkdown, escapeMermaid, escapeTerminal, escapeTerminalLines, markdownCode } from '../../src/text/escape';

describe('terminal', () => {
  test('control characters, ANSI escapes, newlines and bidi overrides become visible escapes', () => {
    expect(escapeTerminal('evil\nFAIL: forged')).toBe('evil\\nFAIL: forged');
    expect(escapeTerminal('\u001b[31mred\u001b[0m\r\t\u0007')).toBe('\\u001b[31mred\\u001b[0m\\r\\t\\u0007');
    expect(escapeTerminal('\u009b2J \u007f \u202eevil\u2066 \u2028')).toBe('\\u009b2J \\u007f \\u202eevil\\u2066 \\u2028');
    expect(escapeTerminal('shop/web-1 ok é ✓')).toBe('shop/web-1 ok é ✓');
  });

  test('escapeTerminalLines keeps newlines, and keeps a JSON document valid and equal', () => {
    expect(escapeTerminalLines('a\nb\u001b[2Jc\r')).toBe('a\nb\\u001b[2Jc\\r');
    const json = JSON.stringify({ name: 'x\u009b\u202e' }, undefined, 2);
    expect(JSON.parse(escapeTerminalLines(json))).toEqual({ name: 'x\u009b\u202e' });
    expect(escapeTerminalLines(json)).not.toMatch(/[\u009b\u202e]/);
  });
});

describe('markdown', () => {
  test('no HTML, no comment, no table break, no formatting', () => {
    expect(escapeMarkdown('a`b<!-- hidden -->|c *d* _e_ [x](http://e) ~f~ $g$ @h')).toBe(
      'a\\`b&lt;!-- hidden --&gt;\\|c \\*d\\* \\_e\\_ [x]\\(http://e) \\~f\\~ \\$g\\$ \\@h');
    expect(escapeMarkdown('shop/api-from-web spec.ingress[0] (peer)')).toBe('shop/api-from-web spec.ingress[0] (peer)');
    expect(escapeMarkdown('![i](x) [r][1]')).toBe('![i]\\(x) [r]\\[1]');
    expect(escapeMarkdown('two\nlines')).toBe('two\\\\nlines');
    expect(escapeMarkdown('<script>&')).toBe('&lt;script&gt;&amp;');
  });

  test('code spans hold backticks and pipes', () => {
    expect(markdownCode('shop/web')).toBe('`shop/web`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`a``')).toBe('``` `a`` ```');
    expect(markdownCode('a|b\n<!--')).toBe('`a\\|b\\n<!--`');
  });
});

describe('mermaid', () => {
  test('quotes, entities, HTML and backticks as entity codes', () => {
    expect(escapeMermaid('a "b" #c <b>&`')).toBe('a #quot;b#quot; #35;c #60;b#62;#38;#96;');
    expect(escapeMermaid('x\ny')).toBe('x\\ny');
  });
});

describe('dot', () => {
  test('a quoted string whose escapes stay text', () => {
    expect(dotString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(dotString('x\ny')).toBe('"x\\\\ny"');
  });
});

describe('csv', () => {
  test('RFC 4180 quoting', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  test.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('a formula %j becomes text', (value) => {
    expect(csvCell(value).replace(/^"/, '')).toMatch(/^'/);
  });
});
