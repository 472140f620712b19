/**
 * Escaping of user text (names, paths, reasons) for each medium the CLI
 * writes to: a terminal, Markdown, Mermaid, Graphviz DOT and CSV. Names are
 * validated as the API server does, so most of this is defence in depth; file
 * paths and free text still carry anything.
 */

/**
 * Control characters (C0, DEL, C1: terminal escape sequences start with ESC or
 * CSI), line and paragraph separators, and the bidirectional overrides that
 * make text display in another order than it is read ("Trojan Source").
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(c: string): string {
  return SHORT[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

/**
 * Text for one line of a terminal: every control character, newline included,
 * is written as a JSON-style escape (`\n`, `\u001b`), so no name can forge an
 * output line or send an escape sequence to the terminal.
 */
export function escapeTerminal(text: string): string {
  return String(text).replace(UNSAFE, escapeCharacter);
}

/**
 * Text of several lines (a whole message or output): as `escapeTerminal`, but
 * newlines are kept. JSON-style escapes keep a JSON document valid and equal.
 */
export function escapeTerminalLines(text: string): string {
  return String(text).replace(UNSAFE_BUT_NEWLINE, escapeCharacter);
}

/**
 * Text in Markdown (a table cell or inside a sentence of a PR comment): on one
 * line, with the characters that start emphasis, code, links, strikethrough,
 * math, mentions or a table cell backslash-escaped, and `<`, `>`, `&` as
 * entities so that no HTML is written (`<!--` would hide the rest of the comment).
 */
export function escapeMarkdown(text: string): string {
  return escapeTerminal(text)
    .replace(/[\\`*_|~$@]/g, (c) => `\\${c}`)
    // A bracket starts a link only with a target, `[text](url)` or `[text][ref]`: `spec.egress[0]` stays as it is.
    .replace(/\]([([])/g, (_, c) => `]\\${c}`)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

/**
 * Text as a Markdown code span (names, in a table cell): the fence is longer
 * than any run of backticks inside, and a pipe is `\|` (GitHub reads table
 * cells before code spans).
 */
export function markdownCode(text: string): string {
  const inner = escapeTerminal(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * Text inside a quoted Mermaid label (`["..."]`, `-->|"..."|`). Mermaid has no
 * backslash escapes: characters it reads are written as its entity codes
 * (`#quot;`, `#35;`), including `<`, `>` and `&` (labels may be HTML) and the
 * backtick (which would start a Markdown string).
 */
export function escapeMermaid(text: string): string {
  return escapeTerminal(text).replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`).replace(/#34;/g, '#quot;');
}

/** A Graphviz DOT string, quotes included: `\` and `"` escaped, control characters as text. */
export function dotString(text: string): string {
  return `"${escapeTerminal(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break,
 * quotes doubled. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is a formula to a spreadsheet: a leading `'` makes it text (OWASP's
 * advice on CSV injection).
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
