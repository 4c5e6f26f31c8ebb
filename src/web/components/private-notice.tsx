import { Icon } from './icon.tsx';

interface PrivateNoticeProps {
  reason: string | null;
  canShare: boolean;
  onShare: () => void;
  /** The private part of a split answer: the thread got a shared part beside it. */
  part?: boolean;
}

/** The banner on a private answer: only the requester sees it, why, and the Share action. */
export function PrivateNotice({ reason, canShare, onShare, part = false }: PrivateNoticeProps) {
  return (
    <div className="private-notice" data-testid="private-notice">
      <Icon name="lock" className="private-icon" />
      <span className="private-text">
        <strong>{part ? 'Private part: only you can see this' : 'Only you can see this'}</strong>
        {/* The reason marks names (`compensation`) with Markdown backticks; shown as plain text. */}
        {reason ? <>, because {lowerFirst(reason.replaceAll('`', ''))}</> : null}
      </span>
      {canShare ? (
        <button type="button" className="button button-small" data-testid="share-button" onClick={onShare}>
          Share with thread
        </button>
      ) : null}
    </div>
  );
}

function lowerFirst(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]?.toLowerCase() + trimmed.slice(1) : trimmed;
}
