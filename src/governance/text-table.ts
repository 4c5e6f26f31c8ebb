/** One column of a text table: numbers read best right-aligned. */
export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
}

/**
 * Renders rows as an aligned plain-text table (header, a rule, the rows; two spaces between
 * columns), for terminals. Widths count characters, so keep cells to single-width text.
 */
export function renderTable(columns: readonly TextColumn[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}

/** Wraps prose to `width` characters, each line prefixed with `indent`. */
export function wrapText(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(indent + current);
  return lines.join('\n');
}
