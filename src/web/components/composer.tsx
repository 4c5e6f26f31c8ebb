import { type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import type { PostMessageResponse } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { AGENT_MENTION, applyCompletion, type MentionCompletion, mentionCompletion } from '../mention.ts';

const MAX_LENGTH = 8000;

/**
 * The message box. Enter sends, Shift+Enter breaks the line; typing `@` offers `@agent`, which
 * Tab or Enter accepts and Escape dismisses.
 */
export function Composer({
  threadId,
  onPosted,
}: {
  threadId: string;
  onPosted: (response: PostMessageResponse) => void;
}) {
  const { api, notify } = useApp();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);

  const completion: MentionCompletion | null = dismissed ? null : mentionCompletion(text, caret);

  useLayoutEffect(() => {
    const element = input.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 240)}px`;
    if (pendingCaret.current !== null) {
      element.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  const update = (value: string, position: number) => {
    setText(value);
    setCaret(position);
    setDismissed(false);
  };

  const accept = (chosen: MentionCompletion) => {
    const next = applyCompletion(text, chosen);
    pendingCaret.current = next.caret;
    update(next.text, next.caret);
  };

  const send = async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    try {
      onPosted(await api.postMessage(threadId, body));
      update('', 0);
    } catch (error) {
      notify(error);
    } finally {
      setSending(false);
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (completion && (event.key === 'Tab' || event.key === 'Enter') && !event.shiftKey) {
      event.preventDefault();
      accept(completion);
    } else if (completion && event.key === 'Escape') {
      event.preventDefault();
      setDismissed(true);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {completion ? (
        <div className="mention-popup" role="listbox" aria-label="Mention">
          <button
            type="button"
            role="option"
            aria-selected="true"
            className="mention-option"
            data-testid="mention-suggestion"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => accept(completion)}
          >
            <span className="mention">{AGENT_MENTION}</span>
            <span className="muted">Ask the agent, on your behalf</span>
            <kbd>Tab</kbd>
          </button>
        </div>
      ) : null}
      <label className="sr-only" htmlFor={`composer-${threadId}`}>
        Message
      </label>
      <textarea
        id={`composer-${threadId}`}
        ref={input}
        className="composer-input"
        rows={1}
        value={text}
        maxLength={MAX_LENGTH}
        placeholder="Message the thread — type @ to ask the agent"
        data-testid="composer"
        onChange={(event) => update(event.target.value, event.target.selectionStart)}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        disabled={sending}
      />
      <button
        type="submit"
        className="button button-primary"
        disabled={sending || !text.trim()}
        data-testid="composer-send"
      >
        Send
      </button>
      <p className="composer-hint muted small">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
      </p>
    </form>
  );
}
