import type { ThreadWire } from '../../protocol/wire.ts';
import { Chips } from './chips.tsx';

interface ModeSwitchProps {
  thread: ThreadWire;
  editable: boolean;
  busy: boolean;
  /** Every group the agent could be given in self-authorized mode. */
  groups: string[];
  onChange: (change: { mode?: 'user' | 'self'; agentGroups?: string[] }) => void;
}

const MODES = [
  { mode: 'user', title: 'User-authorized', detail: 'The agent uses the permissions of the person who asks.' },
  { mode: 'self', title: 'Self-authorized', detail: 'The agent uses its own identity and groups (for comparison).' },
] as const;

/**
 * The thread's authorization mode: a radio group for the owner, a read-out for everyone else.
 * In self-authorized mode it shows the agent's own groups, which the owner can toggle.
 */
export function ModeSwitch({ thread, editable, busy, groups, onChange }: ModeSwitchProps) {
  const toggle = (group: string) =>
    onChange({
      agentGroups: thread.agentGroups.includes(group)
        ? thread.agentGroups.filter((item) => item !== group)
        : [...thread.agentGroups, group].sort(),
    });
  return (
    <fieldset className="mode-switch" data-testid="mode-switch">
      <legend className="panel-title">Agent authorization</legend>
      {MODES.map((option) => (
        <label key={option.mode} className={`mode-option${thread.mode === option.mode ? ' selected' : ''}`}>
          <input
            type="radio"
            name={`mode-${thread.id}`}
            value={option.mode}
            checked={thread.mode === option.mode}
            disabled={!editable || busy}
            onChange={() => onChange({ mode: option.mode })}
            data-testid={`mode-${option.mode}`}
          />
          <span>
            <span className="mode-title">{option.title}</span>
            <span className="mode-detail">{option.detail}</span>
          </span>
        </label>
      ))}
      {thread.mode === 'self' ? (
        <div className="agent-groups" data-testid="agent-groups">
          <span className="field-label">Agent groups</span>
          {editable ? (
            <div className="group-toggles">
              {groups.map((group) => (
                <button
                  key={group}
                  type="button"
                  className="group-toggle"
                  aria-pressed={thread.agentGroups.includes(group)}
                  disabled={busy}
                  onClick={() => toggle(group)}
                  data-testid="agent-group-toggle"
                  data-group={group}
                >
                  {group}
                </button>
              ))}
            </div>
          ) : thread.agentGroups.length > 0 ? (
            <Chips items={thread.agentGroups} kind="group" />
          ) : (
            <span className="muted">none</span>
          )}
        </div>
      ) : null}
      {!editable ? <p className="muted small">Only the owner can change this.</p> : null}
    </fieldset>
  );
}
