/** The table of an agent's answer: its header and rows, cells unescaped as Markdown wrote them. */
export interface AnswerTable {
  columns: string[];
  rows: string[][];
}

function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let index = 0; index < inner.length; index += 1) {
    const char = inner[index];
    if (char === '\\' && index + 1 < inner.length) {
      cell += inner[index + 1];
      index += 1;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The first Markdown table in `text` (`| a | b |`, a `| --- |` rule, then rows), or undefined
 * when the answer has none (no rows were returned).
 */
export function answerTable(text: string): AnswerTable | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex(
    (line, index) => line.startsWith('|') && /^\|(\s*---\s*\|)+$/.test(lines[index + 1] ?? ''),
  );
  if (start < 0) return undefined;
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(splitRow(line));
  }
  return { columns: splitRow(lines[start] ?? ''), rows };
}

/** Rows as sorted lines: the comparison ignores row order (the model's query has no ORDER BY). */
export function rowSet(rows: readonly string[][]): string[] {
  return rows.map((row) => row.join(' \u0001 ')).sort();
}
