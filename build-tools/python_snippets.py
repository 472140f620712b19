"""The Python side of build-tools/check-snippets.ts.

Reads a JSON list of jsii-rosetta's Python translations on stdin and writes {"sources": [...], "errors": [...]}:
each source with Python keywords used as names escaped as the jsii Python bindings name them, and, for each
translation that is still not valid Python, its index and py_compile's message.

jsii-rosetta escapes only `lambda`: it renders `AllowFromProps.from` as the keyword argument `from=` and
`LabelExpression.in()` as `.in(`, which are syntax errors; jsii-pacmak's Python bindings name them `from_` and
`in_` (a trailing underscore). A keyword is a name here when it follows a `.` (an attribute or method) or comes
before a single `=` inside brackets (a keyword argument); strings and comments are tokens of their own and are
never touched.
"""
import io
import json
import keyword
import os
import py_compile
import re
import sys
import tempfile
import tokenize

ESCAPED = set(keyword.kwlist) - {"True", "False", "None"}
# An attribute in a replacement field of an f-string (one STRING token before Python 3.12): `{change.from}`.
F_STRING_ATTRIBUTE = re.compile(r"(\{[^{}]*\.)(%s)\b(?!_)" % "|".join(sorted(ESCAPED)))


def escape_keywords(source):
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    except (tokenize.TokenError, SyntaxError):
        return source  # left as it is: py_compile reports it
    ends = []
    strings = []
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.STRING and "f" in tok.string.split("'")[0].split('"')[0].lower():
            strings.append(tok)
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        if tok.type != tokenize.NAME or tok.string not in ESCAPED:
            continue
        after_dot = i > 0 and tokens[i - 1].type == tokenize.OP and tokens[i - 1].string == "."
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        keyword_argument = depth > 0 and nxt is not None and nxt.type == tokenize.OP and nxt.string == "="
        if after_dot or keyword_argument:
            ends.append(tok.end)
    lines = source.splitlines(keepends=True)
    edits = [(tok.start, tok.end, F_STRING_ATTRIBUTE.sub(r"\1\2_", tok.string)) for tok in strings]
    edits += [(end, end, "_") for end in ends]
    # Right to left, so that the positions of the edits still to make stay valid (f-strings on one line only).
    for (row, start), (end_row, end), text in sorted(edits, reverse=True):
        if row != end_row:
            continue
        line = lines[row - 1]
        lines[row - 1] = line[:start] + text + line[end:]
    return "".join(lines)


def main():
    sources = [escape_keywords(s) for s in json.load(sys.stdin)]
    errors = []
    with tempfile.TemporaryDirectory() as directory:
        for index, source in enumerate(sources):
            path = os.path.join(directory, "snippet_%d.py" % index)
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            try:
                py_compile.compile(path, cfile=path + "c", doraise=True)
            except py_compile.PyCompileError as e:
                errors.append({"index": index, "message": e.msg.strip().splitlines()[-1]})
    json.dump({"sources": sources, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    main()
