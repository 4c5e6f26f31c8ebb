import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { AdminDecisionWire, AdminWorkspaceResponse, POLICY_ACTIONS } from '../../protocol/wire.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { AdminSection } from './admin-sections.tsx';

type Action = (typeof POLICY_ACTIONS)[number];
type ResourceKind =
  | 'label'
  | 'tool'
  | 'document'
  | 'thread'
  | 'message'
  | 'auditlog'
  | 'agentdirectory'
  | 'agent'
  | 'workspace';

/** Each action, what it asks in words, and the kind of resource it applies to (the Cedar schema's); in menu order. */
const ACTION_INFO: Record<Action, { text: string; kind: ResourceKind }> = {
  readLabel: { text: 'be cleared for data labelled…', kind: 'label' },
  declassifyLabel: { text: 'declassify (share) data labelled…', kind: 'label' },
  useTool: { text: 'use the tool…', kind: 'tool' },
  useToolUnattended: { text: 'use the tool without approval…', kind: 'tool' },
  readDocument: { text: 'read the document…', kind: 'document' },
  invokeAgent: { text: 'ask the agent in the thread…', kind: 'thread' },
  readThread: { text: 'read the thread…', kind: 'thread' },
  postMessage: { text: 'post in the thread…', kind: 'thread' },
  manageThread: { text: 'manage the thread…', kind: 'thread' },
  shareAnswer: { text: 'share the answer…', kind: 'message' },
  readAuditLog: { text: 'read the whole audit log', kind: 'auditlog' },
  provisionAgent: { text: 'provision agent identities', kind: 'agentdirectory' },
  assignAgent: { text: 'assign the agent identity…', kind: 'agent' },
  recordStatement: { text: 'keep SQL statement shapes in the audit log for…', kind: 'label' },
  administer: { text: 'administer the workspace (this page)', kind: 'workspace' },
};
const ACTIONS = (Object.keys(ACTION_INFO) as Action[]).map((action) => ({ action, ...ACTION_INFO[action] }));

const KINDS: readonly ResourceKind[] = [
  'label',
  'tool',
  'document',
  'thread',
  'message',
  'auditlog',
  'agentdirectory',
  'agent',
  'workspace',
];

const kindOf = (action: Action): ResourceKind => ACTION_INFO[action].kind;

/** Whether `resource` is already written as a resource of `kind` (`label:…`, `Label::"…"`, `auditlog`). */
function fitsKind(resource: string, kind: ResourceKind): boolean {
  const match = /^([A-Za-z]+)(::|:|$)/.exec(resource.trim());
  const named = match?.[1]?.toLowerCase();
  if (!named || !KINDS.includes(named as ResourceKind)) return resource.trim() !== '' && kind === 'label';
  return named === kind;
}

/**
 * "Would this person be allowed…": a person, an action and a resource, decided by the policies
 * in force on the server (`POST /api/admin/decide`, audited), with the policies that made the
 * decision and their reasons; each policy opens in the Policies section below.
 */
export function AdminDecisionForm({
  id,
  overview,
  onShowPolicy,
  canShow,
}: {
  id: string;
  overview: AdminWorkspaceResponse;
  onShowPolicy: (policyId: string) => void;
  canShow: (policyId: string) => string | undefined;
}) {
  const { api, people } = useApp();
  const [principal, setPrincipal] = useState('');
  const [action, setAction] = useState<Action>('readLabel');
  const [resource, setResource] = useState('');
  const [viaAgent, setViaAgent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AdminDecisionWire | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tools, setTools] = useState<string[]>([]);
  const [threads, setThreads] = useState<string[]>([]);

  useEffect(() => {
    api.tools().then(
      (list) => setTools(list.map((tool) => tool.name)),
      () => setTools([]),
    );
    api.threads().then(
      (list) => setThreads(list.map((thread) => thread.id)),
      () => setThreads([]),
    );
  }, [api]);

  const examples = useMemo((): Record<ResourceKind, string[]> => {
    const labels = overview.labels.flatMap((label) =>
      label.clearance.length > 0 ? label.clearance.map((entry) => entry.label) : [],
    );
    const sourceTools = overview.sources.map((source) => source.tool);
    return {
      label: labels.map((label) => `label:${label}`),
      tool: [...new Set([...sourceTools, ...tools])].map((tool) => `tool:${tool}`),
      document: [],
      thread: threads.map((thread) => `thread:${thread}`),
      message: [],
      auditlog: ['auditlog'],
      agentdirectory: ['agentdirectory'],
      agent: overview.agents.map((agent) => `agent:${agent.id}`),
      workspace: ['workspace'],
    };
  }, [overview, tools, threads]);

  const kind = kindOf(action);
  const shown = examples[kind];
  const placeholder = shown[0] ?? `${kind}:<id>`;
  const sortedPeople = [...people.values()].sort((a, b) => a.name.localeCompare(b.name));

  const changeAction = (next: Action) => {
    setAction(next);
    const nextKind = kindOf(next);
    if (!fitsKind(resource, nextKind)) setResource(examples[nextKind][0] ?? '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      setResult(await api.adminDecide({ principal, action, resource: resource.trim(), viaAgent }));
    } catch (error) {
      setResult(null);
      setProblem(error instanceof ApiError || error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const asked = result ? nameOf(people, result.principal) : '';
  const actionText = (name: string) => (ACTION_INFO[name as Action]?.text ?? name).replace(/…$/, '');

  return (
    <AdminSection
      id={id}
      title="Would this person be allowed…"
      note="Runs one decision through the policies in force, as the agent’s gateway would. Each question is recorded in the audit log."
    >
      <form className="card admin-decide" onSubmit={(event) => void submit(event)} data-testid="admin-decide-form">
        <div className="field">
          <label className="field-label" htmlFor="admin-decide-person">
            Person
          </label>
          <select
            id="admin-decide-person"
            className="input"
            required
            value={principal}
            onChange={(event) => setPrincipal(event.target.value)}
            data-testid="admin-decide-person"
          >
            <option value="">Choose a person</option>
            {sortedPeople.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name} ({person.id})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="admin-decide-action">
            Action
          </label>
          <select
            id="admin-decide-action"
            className="input"
            value={action}
            onChange={(event) => changeAction(event.target.value as Action)}
            data-testid="admin-decide-action"
          >
            {ACTIONS.map((entry) => (
              <option key={entry.action} value={entry.action}>
                {entry.action} — {entry.text}
              </option>
            ))}
          </select>
        </div>
        <div className="field admin-decide-resource">
          <label className="field-label" htmlFor="admin-decide-resource">
            Resource
          </label>
          <input
            id="admin-decide-resource"
            className="input"
            required
            autoComplete="off"
            spellCheck={false}
            maxLength={300}
            list="admin-decide-examples"
            placeholder={placeholder}
            aria-describedby="admin-decide-resource-help"
            value={resource}
            onChange={(event) => setResource(event.target.value)}
            data-testid="admin-decide-resource"
          />
          <datalist id="admin-decide-examples">
            {shown.map((example) => (
              <option key={example} value={example} />
            ))}
          </datalist>
          <p id="admin-decide-resource-help" className="muted small">
            Write <code>label:&lt;id&gt;</code>, <code>tool:&lt;name&gt;</code>, <code>thread:&lt;id&gt;</code>,{' '}
            <code>document:&lt;id&gt;</code>, <code>agent:&lt;id&gt;</code> or <code>auditlog</code>; a bare id is a{' '}
            {kind} here.
          </p>
          {shown.length > 0 ? (
            <div className="admin-examples">
              <span className="muted small">Examples:</span>
              {shown.slice(0, 8).map((example) => (
                <button
                  key={example}
                  type="button"
                  className="link-button small"
                  onClick={() => setResource(example)}
                  data-testid="admin-decide-example"
                >
                  {example}
                </button>
              ))}
            </div>
          ) : null}
        </div>
        <div className="admin-decide-footer">
          <label className="admin-decide-via">
            <input
              type="checkbox"
              checked={viaAgent}
              onChange={(event) => setViaAgent(event.target.checked)}
              data-testid="admin-decide-via-agent"
            />
            Through the agent (on the person’s behalf)
          </label>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !principal || !resource.trim()}
            data-testid="admin-decide-submit"
          >
            {busy ? 'Deciding…' : 'Decide'}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="admin-decision-region">
        {problem ? (
          <p className="verdict verdict-deny" role="alert" data-testid="admin-decision-error">
            {problem}
          </p>
        ) : null}
        {result ? (
          <div
            className={`card admin-decision admin-decision-${result.effect}`}
            data-testid="admin-decision"
            data-effect={result.effect}
          >
            <p className={`verdict verdict-${result.effect}`}>
              <strong>{result.effect === 'allow' ? 'Allowed' : 'Denied'}:</strong> {asked}{' '}
              {result.effect === 'allow' ? 'may' : 'may not'} {actionText(result.action)} <code>{result.resource}</code>
              {result.viaAgent ? ' through the agent' : ''}.
            </p>
            {result.policies.length > 0 ? (
              <>
                <h3 className="admin-decision-title">
                  {result.effect === 'allow' ? 'Allowed by' : 'Denied by'}{' '}
                  {result.policies.length === 1 ? 'this policy' : 'these policies'}
                </h3>
                <ul className="admin-decision-policies">
                  {result.policies.map((policyId, index) => (
                    <li
                      key={policyId}
                      className="admin-decision-policy"
                      data-testid="admin-decision-policy"
                      data-policy={policyId}
                    >
                      <code className="policy-id">{policyId}</code>
                      <span>{result.reasons[index] ?? ''}</span>
                      {canShow(policyId) ? (
                        <button
                          type="button"
                          className="link-button small"
                          onClick={() => onShowPolicy(policyId)}
                          aria-label={`Show policy ${policyId}`}
                        >
                          Show policy
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="admin-decision-none" data-testid="admin-decision-none">
                Denied by default, since no policy permits it: {result.reasons.join('; ')}
              </p>
            )}
          </div>
        ) : null}
      </div>
    </AdminSection>
  );
}
