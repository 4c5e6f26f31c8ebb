import { type FormEvent, useState } from 'react';
import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { Modal, ModalActions } from './modal.tsx';
import { PeoplePicker } from './people-picker.tsx';

/** Creates a thread: a title and the people to invite (the agent is always a member). */
export function NewThreadDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (thread: ThreadWire) => void;
}) {
  const { api, me, people, notify } = useApp();
  const [title, setTitle] = useState('');
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const others = [...people.values()].filter((person) => person.id !== me.id);

  const toggle = (userId: string) =>
    setMembers((current) => {
      const next = new Set(current);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    try {
      onCreated(await api.createThread(title.trim(), [...members]));
    } catch (error) {
      notify(error);
      setBusy(false);
    }
  };

  return (
    <Modal title="New thread" onClose={onClose} testId="new-thread-dialog">
      <form className="form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span className="field-label">Title</span>
          <input
            className="input"
            value={title}
            maxLength={200}
            required
            // biome-ignore lint/a11y/noAutofocus: the dialog opens to type a title
            autoFocus
            onChange={(event) => setTitle(event.target.value)}
            data-testid="new-thread-title"
            placeholder="e.g. Q4 hiring plan"
          />
        </label>
        <PeoplePicker people={others} selected={members} onToggle={toggle} label="Members" />
        <div className="form-actions">
          <ModalActions
            onCancel={onClose}
            label="Create thread"
            testId="new-thread-create"
            disabled={busy || !title.trim()}
          />
        </div>
      </form>
    </Modal>
  );
}
