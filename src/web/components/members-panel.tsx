import { useState } from 'react';
import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Avatar } from './avatar.tsx';
import { Modal, ModalActions } from './modal.tsx';
import { ModeSwitch } from './mode-switch.tsx';

/** Members of the thread; the owner adds and removes people here and picks the agent's mode. */
export function MembersPanel({ thread, onChanged }: { thread: ThreadWire; onChanged: (thread: ThreadWire) => void }) {
  const { api, me, people, notify } = useApp();
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  // Removal cancels the person's running turns and closes their live view at once (I8): asked first.
  const [removing, setRemoving] = useState<string | null>(null);
  const isOwner = thread.ownerId === me.id;
  const members = thread.members ?? [];
  const candidates = [...people.values()].filter((person) => !members.includes(person.id));

  const apply = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      onChanged(await api.thread(thread.id));
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="members-panel" aria-label="Members" data-testid="members-panel">
      <h2 className="panel-title">Members</h2>
      <ul className="member-list">
        <li className="member-item">
          <Avatar name="Agent" agent size="sm" />
          <span className="member-text">
            <span className="person-name">Agent</span>
            <span className="person-title">{thread.mode === 'self' ? 'Own identity' : 'Acts for whoever asks'}</span>
          </span>
        </li>
        {members.map((userId) => (
          <li key={userId} className="member-item" data-testid="member-item" data-user-id={userId}>
            <Avatar name={nameOf(people, userId)} size="sm" />
            <span className="member-text">
              <span className="person-name">
                {nameOf(people, userId)}
                {userId === me.id ? <span className="muted"> (you)</span> : null}
              </span>
              <span className="person-title">
                {userId === thread.ownerId ? 'Owner' : (people.get(userId)?.title ?? '')}
              </span>
            </span>
            {isOwner && userId !== thread.ownerId ? (
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${nameOf(people, userId)}`}
                title="Remove from thread"
                disabled={busy}
                data-testid="member-remove"
                data-user-id={userId}
                onClick={() => setRemoving(userId)}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {isOwner && candidates.length > 0 ? (
        <form
          className="member-add"
          onSubmit={(event) => {
            event.preventDefault();
            if (adding) void apply(() => api.addMember(thread.id, adding)).then(() => setAdding(''));
          }}
        >
          <label className="sr-only" htmlFor="member-add-select">
            Person to add
          </label>
          <select
            id="member-add-select"
            className="input"
            value={adding}
            onChange={(event) => setAdding(event.target.value)}
            data-testid="member-add-select"
          >
            <option value="">Add a person…</option>
            {candidates.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name} — {person.title}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-small" disabled={busy || !adding} data-testid="member-add">
            Add
          </button>
        </form>
      ) : null}
      <ModeSwitch
        thread={thread}
        editable={isOwner}
        busy={busy}
        onChange={(change) => void apply(() => api.updateThread(thread.id, change))}
      />
      {removing ? (
        <Modal
          title={`Remove ${nameOf(people, removing)}?`}
          onClose={() => setRemoving(null)}
          testId="confirm-remove-member"
          footer={
            <ModalActions
              onCancel={() => setRemoving(null)}
              cancelTestId="confirm-cancel"
              label="Remove"
              testId="confirm-remove"
              danger
              disabled={busy}
              onConfirm={() => {
                const userId = removing;
                setRemoving(null);
                void apply(() => api.removeMember(thread.id, userId));
              }}
            />
          }
        >
          <p>
            {nameOf(people, removing)} will no longer see this thread or ask its agent. Anything the agent is doing for
            them here stops now. You can add them again later.
          </p>
        </Modal>
      ) : null}
    </aside>
  );
}
