/**
 * The shape of a SQL statement for the audit log: every literal (string, escape string, bit or
 * hex string, dollar-quoted body, number) replaced by `?`, every comment removed, whitespace
 * collapsed. `SELECT name FROM compensation WHERE salary > 180000 -- carol's` becomes
 * `SELECT name FROM compensation WHERE salary > ?`: what was read and how, never a value the model
 * copied from its context (I6). Identifiers (quoted or not) and positional parameters (`$1`)
 * are kept: they name columns and tables, not data.
 *
 * Returns null when the text cannot be tokenized with certainty (an unterminated string, quoted
 * identifier or comment): the caller then keeps only the statement's hash, failing closed.
 */
export function sqlStatementShape(text: string): string | null {
  let out = '';
  let index = 0;
  const length = text.length;
  const isIdentifierChar = (character: string | undefined) =>
    character !== undefined && /[\p{L}\p{N}_$]/u.test(character);
  while (index < length) {
    const character = text[index] as string;
    const next = text[index + 1];
    if (character === '-' && next === '-') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? length : end;
      out += ' ';
    } else if (character === '/' && next === '*') {
      const end = blockCommentEnd(text, index);
      if (end === -1) return null;
      index = end;
      out += ' ';
    } else if (character === "'") {
      // A prefix letter glued to the quote (E'', B'', X'', N'', U&'') belongs to the literal.
      const prefix = /(?:^|[^\p{L}\p{N}_$])(U&|[EeBbXxNn])$/u.exec(out);
      if (prefix?.[1]) out = out.slice(0, out.length - prefix[1].length);
      const escapes = prefix?.[1]?.toLowerCase() === 'e';
      const end = quotedEnd(text, index, "'", escapes);
      if (end === -1) return null;
      index = end;
      out += '?';
    } else if (character === '"') {
      const end = quotedEnd(text, index, '"', false);
      if (end === -1) return null;
      out += text.slice(index, end);
      index = end;
    } else if (character === '$' && !isIdentifierChar(out.at(-1))) {
      const tag = /^\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/u.exec(text.slice(index));
      if (tag) {
        const close = text.indexOf(tag[0], index + tag[0].length);
        if (close === -1) return null;
        index = close + tag[0].length;
        out += '?';
      } else {
        const parameter = /^\$\d+/.exec(text.slice(index));
        const taken = parameter?.[0] ?? '$';
        out += taken;
        index += taken.length;
      }
    } else if (/\d/.test(character) || (character === '.' && next !== undefined && /\d/.test(next))) {
      if (isIdentifierChar(out.at(-1))) {
        out += character;
        index += 1;
      } else {
        const number =
          /^(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(
            text.slice(index),
          );
        index += number?.[0].length ?? 1;
        out += '?';
      }
    } else {
      out += character;
      index += 1;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Index just past the closing quote of the literal or identifier opening at `start`; -1 if none. */
function quotedEnd(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (backslashEscapes && character === '\\') index += 2;
    else if (character === quote) {
      if (text[index + 1] === quote) index += 2;
      else return index + 1;
    } else index += 1;
  }
  return -1;
}

/** Index just past a block comment opening at `start` (PostgreSQL nests them); -1 if unterminated. */
function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < text.length) {
    if (text.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (text.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else index += 1;
  }
  return -1;
}
