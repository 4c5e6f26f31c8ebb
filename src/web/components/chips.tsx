/**
 * Small labelled pills: sensitivity labels of an answer, or a person's groups. `public` is shown
 * only alone: beside `hr-confidential` it would read as "partly public", which says nothing the
 * stricter label does not (a reader must be cleared for every label anyway).
 */
export function Chips({ items, kind, testId }: { items: readonly string[]; kind: 'label' | 'group'; testId?: string }) {
  const shown =
    kind === 'label' && items.some((item) => item !== 'public') ? items.filter((item) => item !== 'public') : items;
  if (shown.length === 0) return null;
  return (
    <span className="chips" data-testid={testId}>
      {shown.map((item) => (
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
