import type { MessageItemWire, MessageWire, RunStatusWire } from '../../protocol/wire.ts';
import { AgentAnswer } from './agent-answer.tsx';
import { HiddenPlaceholder } from './hidden-placeholder.tsx';
import { HumanMessage } from './human-message.tsx';

interface MessageItemProps {
  message: MessageItemWire;
  runStatus: RunStatusWire | undefined;
  onUpdated: (message: MessageWire) => void;
}

/** One item of the thread, by kind: a placeholder, a person's message or an agent answer. */
export function MessageItem({ message, runStatus, onUpdated }: MessageItemProps) {
  if (message.hidden) return <HiddenPlaceholder item={message} />;
  if (message.kind === 'agent') return <AgentAnswer message={message} runStatus={runStatus} onUpdated={onUpdated} />;
  return <HumanMessage message={message} />;
}
