import { type KeyboardEvent, type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AnswerAudienceWire } from '../../protocol/answer-wire.ts';
import type { PostMessageResponse } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { AGENT_MENTION, applyCompletion, type MentionCompletion, mentionCompletion } from '../mention.ts';

const MAX_LENGTH = 8000;

/**
 * The message box. Enter sends, Shift+Enter breaks the line; typing `@` offers `@agent`, which
 * Tab or Enter accepts and Escape dismisses.
 *
 * Focus (issue 11.2): the box takes focus when the thread opens (not on touch screens, where it
 * would pop up the keyboard uninvited), and keeps it while sending — it turns read-only rather
 * than disabled, since disabling a focused control drops focus to the page body — so the next
 * message can be typed at once, even after sending with the button.
 */
export function Composer({
  threadId,
  onPosted,
  inputRef,
}: {
  threadId: string;
  onPosted: (response: PostMessageResponse) => void;
  /** Lets the thread view return focus here (after "New messages"). */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  const { api, notify } = useApp();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [sending, setSending] = useState(false);
  const [audience, setAudience] = useState<AnswerAudienceWire>('me');
  const ownInput = useRef<HTMLTextAreaElement>(null);
  const input = inputRef ?? ownInput;
  const pendingCaret = useRef<number | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per thread; the ref is stable
  useEffect(() => {
    if (matchMedia('(pointer: coarse)').matches) return;
    // A dialog or field the reader is already typing in keeps its focus.
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.closest('dialog, input, select, textarea')) return;
    input.current?.focus();
  }, [threadId]);

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
      // The server applies `audience` only to a message that asks the agent.
      onPosted(await api.postMessage(threadId, body, audience));
      update('', 0);
    } catch (error) {
      notify(error);
    } finally {
      setSending(false);
      // Sending with the button leaves focus on it; the next message is typed here.
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
        readOnly={sending}
        aria-busy={sending}
      />
      <button
        type="submit"
        className="button button-primary"
        disabled={sending || !text.trim()}
        data-testid="composer-send"
      >
        Send
      </button>
      <fieldset className="audience-choice" data-testid="audience-choice">
        <legend className="sr-only">Who the agent answers for</legend>
        <label title="The complete answer; private to you when it uses data not everyone here may see">
          <input
            type="radio"
            name={`audience-${threadId}`}
            value="me"
            checked={audience === 'me'}
            onChange={() => setAudience('me')}
            data-testid="audience-me"
          />{' '}
          Answer for me
        </label>
        <label title="Only what every member may see goes to the thread; you learn privately what was left out">
          <input
            type="radio"
            name={`audience-${threadId}`}
            value="room"
            checked={audience === 'room'}
            onChange={() => setAudience('room')}
            data-testid="audience-room"
          />{' '}
          Answer for the room
        </label>
      </fieldset>
      <p className="composer-hint muted small">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
      </p>
    </form>
  );
}
