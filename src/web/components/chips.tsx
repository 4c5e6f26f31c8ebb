/** Small labelled pills: sensitivity labels of an answer, or a person's groups. */
export function Chips({ items, kind, testId }: { items: readonly string[]; kind: 'label' | 'group'; testId?: string }) {
  if (items.length === 0) return null;
  return (
    <span className="chips" data-testid={testId}>
      {items.map((item) => (
        <span key={item} className={`chip chip-${kind} ${kind === 'label' ? labelTone(item) : ''}`}>
          {item}
        </span>
      ))}
    </span>
  );
}

// Colour says how sensitive a label is at a glance; the text always says which label it is.
function labelTone(label: string): string {
  if (label === 'public') return 'tone-public';
  if (label.startsWith('hr-') || label.startsWith('exec-')) return 'tone-restricted';
  return 'tone-internal';
}
