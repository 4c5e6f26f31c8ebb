export { AGENT_HANDLE, addressesAgent, stripAgentMention } from './mentions.ts';
export { ThreadService, type ThreadServiceDeps, type ThreadView } from './thread-service.ts';
export type {
  Audience,
  Message,
  MessageKind,
  MessageStore,
  NewMessage,
  Thread,
  ThreadMode,
  ThreadStore,
} from './types.ts';
export { type Clearance, type HiddenMessage, policiesOf, type Visibility, VisibilityChecker } from './visibility.ts';
