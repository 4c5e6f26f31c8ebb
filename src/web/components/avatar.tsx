import { initialsOf } from '../format.ts';

const HUES = [210, 160, 280, 20, 330, 45, 190, 250];

/** A round badge with a person's initials, coloured stably by name. */
export function Avatar({ name, agent = false, size = 'md' }: { name: string; agent?: boolean; size?: 'sm' | 'md' }) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hue = HUES[hash % HUES.length] ?? 210;
  const style = agent ? undefined : { background: `hsl(${hue} 55% 92%)`, color: `hsl(${hue} 50% 30%)` };
  return (
    <span className={`avatar avatar-${size}${agent ? ' avatar-agent' : ''}`} style={style} aria-hidden="true">
      {agent ? '✦' : initialsOf(name)}
    </span>
  );
}
