import { useEffect, useState } from 'react';
import type { MessageWire, SharePreviewWire } from '../../protocol/wire.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Avatar } from './avatar.tsx';
import { Chips } from './chips.tsx';
import { Modal, ModalActions } from './modal.tsx';

interface ShareDialogProps {
  message: MessageWire;
  onClose: () => void;
  onShared: (message: MessageWire) => void;
}

/**
 * Sharing a private answer is a declassification: before confirming, the requester sees who
 * would newly read it, which labels that exposes, and whether policy allows it. The share is
 * bound to what the dialog showed: if the audience changed meanwhile, the server refuses it and
 * the dialog shows the new preview to confirm again.
 */
export function ShareDialog({ message, onClose, onShared }: ShareDialogProps) {
  const { api, people, notify } = useApp();
  const [preview, setPreview] = useState<SharePreviewWire | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.sharePreview(message.id).then(setPreview, (error: unknown) => {
      setRefusal(error instanceof Error ? error.message : String(error));
    });
  }, [api, message.id]);

  const [changed, setChanged] = useState(false);

  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const shared = await api.share(message.id, preview.version);
      if (shared && typeof shared === 'object' && 'id' in shared) onShared(shared);
      notify('Shared with the thread.', 'info');
      onClose();
    } catch (error) {
      const fresh = error instanceof ApiError && error.status === 409 ? error.data?.preview : undefined;
      if (fresh && typeof fresh === 'object') {
        setPreview(fresh as SharePreviewWire);
        setChanged(true);
      } else {
        setRefusal(error instanceof Error ? error.message : String(error));
      }
      setBusy(false);
    }
  };

  const allowed = preview?.allowed === true && refusal === null;
  return (
    <Modal
      title="Share this answer with the thread?"
      onClose={onClose}
      testId="share-dialog"
      footer={
        <ModalActions
          onCancel={onClose}
          label="Share with thread"
          testId="share-confirm"
          onConfirm={() => void confirm()}
          disabled={!allowed || busy}
        />
      }
    >
      {preview === null && refusal === null ? (
        <p className="muted" aria-busy="true">
          Checking who would see it…
        </p>
      ) : null}
      {changed ? (
        <div className="verdict verdict-deny" role="alert" data-testid="share-changed">
          <strong>Who would see this answer changed.</strong> Review the members below and confirm again.
        </div>
      ) : null}
      {preview ? (
        <>
          {preview.newReaders.length === 0 ? (
            <p>Everyone in the thread is already cleared for this answer; sharing only makes it visible to them.</p>
          ) : (
            <>
              <p>These members would newly see data they are not cleared for:</p>
              <ul className="share-readers">
                {preview.newReaders.map((reader) => (
                  <li
                    key={reader.userId}
                    className="share-reader"
                    data-testid="share-new-reader"
                    data-user-id={reader.userId}
                  >
                    <Avatar name={nameOf(people, reader.userId)} size="sm" />
                    <span className="person-name">{nameOf(people, reader.userId)}</span>
                    <Chips items={reader.labels} kind="label" />
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.declassifies.length > 0 ? (
            <p className="share-declassifies">
              Declassifies <Chips items={preview.declassifies} kind="label" /> in this thread. This is recorded in the
              audit log.
            </p>
          ) : null}
          <p className="share-audience muted small" data-testid="share-audience">
            It is released to the members here now ({preview.readers.map((id) => nameOf(people, id)).join(', ')}).
            Someone who joins later sees it only if cleared for its labels; you can share it again then.
          </p>
          <div
            className={`verdict ${preview.allowed ? 'verdict-allow' : 'verdict-deny'}`}
            data-testid="share-verdict"
            data-allowed={preview.allowed ? 'true' : 'false'}
          >
            <strong>{preview.allowed ? 'Policy allows this share.' : 'Policy does not allow this share.'}</strong>
            {preview.reason ? <span> {preview.reason}</span> : null}
            {preview.policies.length > 0 ? <PolicyList policies={preview.policies} /> : null}
          </div>
        </>
      ) : null}
      {refusal ? (
        <div className="verdict verdict-deny" role="alert" data-testid="share-refused">
          <strong>Not shared.</strong> {refusal}
        </div>
      ) : null}
    </Modal>
  );
}

function PolicyList({ policies }: { policies: string[] }) {
  return (
    <span className="policy-list">
      {' '}
      Decided by{' '}
      {policies.map((policy, index) => (
        <span key={policy}>
          {index > 0 ? ', ' : ''}
          <code>{policy}</code>
        </span>
      ))}
      .
    </span>
  );
}
