// biome-ignore-all lint/suspicious/noArrayIndexKey: parsed Markdown is rendered once per text and never reorders
import type { ReactNode } from 'react';
import { formatCell, localizeFigures } from '../format.ts';
import { type Block, type Inline, parseMarkdown } from '../markdown.ts';

/**
 * Renders an answer's Markdown as React elements. Every string becomes a text node, which React
 * escapes, so no HTML in an answer (injected or otherwise) is ever interpreted.
 */
export function MarkdownView({ text }: { text: string }) {
  return <div className="markdown">{parseMarkdown(text).map(renderBlock)}</div>;
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.type) {
    case 'heading': {
      const Tag = `h${Math.min(6, block.level + 2)}` as 'h3' | 'h4' | 'h5' | 'h6';
      return <Tag key={key}>{renderInlines(block.children)}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{renderInlines(block.children)}</p>;
    case 'list': {
      const items = block.items.map((item, index) => <li key={index}>{renderInlines(item)}</li>);
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'table':
      return (
        <div key={key} className="table-scroll">
          <table>
            <thead>
              <tr>
                {block.header.map((cell, index) => (
                  <th key={index} style={alignStyle(block.align[index])}>
                    {renderInlines(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td
                      key={index}
                      style={alignStyle(block.align[index])}
                      className={isNumeric(cell) ? 'num' : undefined}
                    >
                      {renderCell(plainText(block.header[index] ?? []), cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'code':
      return (
        <pre key={key}>
          <code>{block.text}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={key}>{block.children.map(renderBlock)}</blockquote>;
  }
}

/**
 * A table cell: a bare number is formatted for the reader's locale by its column (money as
 * currency); anything else renders as written. The raw value stays in `title` for copying.
 */
function renderCell(column: string, cell: Inline[]): ReactNode {
  const only = cell.length === 1 ? cell[0] : undefined;
  if (only?.type !== 'text') return renderInlines(cell);
  const formatted = formatCell(column, only.text);
  return formatted === only.text ? renderInlines(cell) : <span title={only.text.trim()}>{formatted}</span>;
}

function plainText(inlines: Inline[]): string {
  return inlines
    .map((inline) => (inline.type === 'text' || inline.type === 'code' ? inline.text : plainText(inline.children)))
    .join('');
}

function renderInlines(inlines: Inline[]): ReactNode[] {
  return inlines.map(renderInline);
}

function renderInline(inline: Inline, key: number): ReactNode {
  switch (inline.type) {
    case 'text':
      return withBreaks(localizeFigures(inline.text), key);
    case 'code':
      return <code key={key}>{inline.text}</code>;
    case 'strong':
      return <strong key={key}>{renderInlines(inline.children)}</strong>;
    case 'em':
      return <em key={key}>{renderInlines(inline.children)}</em>;
  }
}

function withBreaks(text: string, key: number): ReactNode {
  if (!text.includes('\n')) return text;
  const lines = text.split('\n');
  return (
    <span key={key}>
      {lines.map((line, index) => (
        <span key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </span>
  );
}

function alignStyle(align: 'left' | 'right' | 'center' | null | undefined) {
  return align ? { textAlign: align } : undefined;
}

// Numbers line up on the right, as in any spreadsheet.
function isNumeric(cell: Inline[]): boolean {
  const only = cell.length === 1 ? cell[0] : undefined;
  return only?.type === 'text' && /^[-+]?[\d,.]+%?$/.test(only.text.trim());
}
