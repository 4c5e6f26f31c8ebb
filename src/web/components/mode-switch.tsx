import { type ReactNode, useEffect, useState } from 'react';
import type { AgentIdentityWire, ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { Chips } from './chips.tsx';
import { Modal, ModalActions } from './modal.tsx';

interface ModeSwitchProps {
  thread: ThreadWire;
  editable: boolean;
  busy: boolean;
  onChange: (change: { mode?: 'user' | 'self'; agentId?: string | null }) => void;
}

/**
 * The thread's authorization mode: a radio group for the owner, a read-out for everyone else.
 * Self-authorized mode acts as a provisioned agent identity: the owner picks one policy lets
 * them assign (its groups are the administrator's choice, shown read-only), never groups.
 */
export function ModeSwitch({ thread, editable, busy, onChange }: ModeSwitchProps) {
  const { api, notify } = useApp();
  const [agents, setAgents] = useState<AgentIdentityWire[] | null>(null);
  useEffect(() => {
    let live = true;
    api.agents().then(
      (list) => live && setAgents(list),
      (error: unknown) => live && notify(error),
    );
    return () => {
      live = false;
    };
  }, [api, notify]);
  const assignable = (agents ?? []).filter((agent) => agent.assignable);
  const current = agents?.find((agent) => agent.id === thread.agentId);
  const [choice, setChoice] = useState('');
  const chosen = choice || thread.agentId || assignable[0]?.id || '';
  // Whose permissions the agent uses is the thread's most consequential setting: asked first.
  const [pending, setPending] = useState<{ mode?: 'user' | 'self'; agentId?: string | null } | null>(null);
  const nameOfAgent = (id: string | null | undefined) =>
    agents?.find((agent) => agent.id === id)?.name ?? 'an agent identity';
  const cancel = () => {
    setPending(null);
    setChoice('');
  };

  return (
    <fieldset className="mode-switch" data-testid="mode-switch">
      <legend className="panel-title">Agent authorization</legend>
      <ModeOption
        thread={thread}
        mode="user"
        title="User-authorized"
        disabled={!editable || busy}
        onChoose={() => setPending({ mode: 'user' })}
      >
        The agent uses the permissions of the person who asks.
      </ModeOption>
      <ModeOption
        thread={thread}
        mode="self"
        title="Self-authorized"
        disabled={!editable || busy || !chosen}
        onChoose={() => setPending({ mode: 'self', agentId: chosen })}
      >
        The agent acts as an identity an administrator provisioned, with that identity's groups (for comparison).
      </ModeOption>
      {editable && assignable.length > 0 ? (
        <label className="agent-identity-picker">
          <span className="field-label">Agent identity</span>
          <select
            className="input"
            value={chosen}
            disabled={busy}
            data-testid="agent-identity-select"
            onChange={(event) => {
              setChoice(event.target.value);
              if (thread.mode === 'self') setPending({ agentId: event.target.value });
            }}
          >
            {assignable.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {editable && agents !== null && assignable.length === 0 ? (
        <p className="muted small" data-testid="no-agent-identities">
          No agent identity is provisioned for you to assign; an administrator can provision one.
        </p>
      ) : null}
      {thread.mode === 'self' ? (
        <div className="agent-groups" data-testid="agent-groups">
          <span className="field-label">{current ? `${current.name} holds` : 'Agent groups'}</span>
          {current && current.groups.length > 0 ? (
            <Chips items={current.groups} kind="group" />
          ) : (
            <span className="muted">no groups</span>
          )}
        </div>
      ) : null}
      {!editable ? <p className="muted small">Only the owner can change this.</p> : null}
      {pending ? (
        <Modal
          title={
            pending.mode === 'user'
              ? 'Switch to user-authorized?'
              : pending.mode === 'self'
                ? 'Switch to self-authorized?'
                : 'Change the agent identity?'
          }
          onClose={cancel}
          testId="confirm-mode"
          footer={
            <ModalActions
              onCancel={cancel}
              cancelTestId="confirm-cancel"
              label="Switch"
              testId="confirm-mode-switch"
              onConfirm={() => {
                const change = pending;
                setPending(null);
                onChange(change);
              }}
            />
          }
        >
          <p>
            {pending.mode === 'user'
              ? 'The agent will use the permissions of whoever asks it, and see only what they may see.'
              : `The agent will act as ${nameOfAgent(pending.agentId ?? chosen)}, with that identity's groups, for everyone in this thread — whatever the person asking may see.`}{' '}
            Everyone in the thread is told of the change.
          </p>
        </Modal>
      ) : null}
    </fieldset>
  );
}

interface ModeOptionProps {
  thread: ThreadWire;
  mode: 'user' | 'self';
  title: string;
  disabled: boolean;
  onChoose: () => void;
  /** What the mode means. */
  children: ReactNode;
}

/** One radio button of the switch, with its title and what it means. */
function ModeOption({ thread, mode, title, disabled, onChoose, children }: ModeOptionProps) {
  return (
    <label className={`mode-option${thread.mode === mode ? ' selected' : ''}`}>
      <input
        type="radio"
        name={`mode-${thread.id}`}
        value={mode}
        checked={thread.mode === mode}
        disabled={disabled}
        onChange={onChoose}
        data-testid={`mode-${mode}`}
      />
      <span>
        <span className="mode-title">{title}</span>
        <span className="mode-detail">{children}</span>
      </span>
    </label>
  );
}
