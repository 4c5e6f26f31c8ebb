import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminWorkspaceResponse } from '../../protocol/wire.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { AdminDecisionForm } from './admin-decision-form.tsx';
import { AdminAgents, AdminFindings, AdminLabelCatalogue, AdminPolicies, AdminSources } from './admin-sections.tsx';

type LoadState = 'loading' | 'ready' | 'forbidden' | 'absent' | 'failed';

const SECTIONS: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'admin-findings', title: 'Doctor’s findings' },
  { id: 'admin-decide', title: 'Would this person be allowed…' },
  { id: 'admin-labels', title: 'Label catalogue' },
  { id: 'admin-sources', title: 'Sources' },
  { id: 'admin-agents', title: 'Agent identities' },
  { id: 'admin-policies', title: 'Policies' },
];

/**
 * The administrator's page (SPEC §12, issue 9 point 7), for members of the workspace's `admins`
 * groups (the server decides): what the workspace is made of — doctor's findings, the label
 * catalogue with who the policies in force clear and who may declassify, the sources with their
 * tables and labels, agent identities, the Cedar policies (read-only) — and a form that runs one
 * decision through those policies and shows the ones that made it.
 */
export function AdminPage() {
  const { api, notify } = useApp();
  const [overview, setOverview] = useState<AdminWorkspaceResponse | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [openPolicies, setOpenPolicies] = useState<ReadonlySet<string>>(new Set());
  const policyRefs = useRef(new Map<string, HTMLElement>());
  const [focusPolicy, setFocusPolicy] = useState<string | null>(null);

  const load = useCallback(() => {
    setState('loading');
    api.adminWorkspace().then(
      (loaded) => {
        setOverview(loaded);
        setState('ready');
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 403) setState('forbidden');
        else if (error instanceof ApiError && error.status === 404) setState('absent');
        else {
          notify(error);
          setState('failed');
        }
      },
    );
  }, [api, notify]);
  useEffect(load, [load]);

  /** The policy (or policy file) that holds `policyId`. */
  const policyNameOf = useCallback(
    (policyId: string): string | undefined =>
      overview?.policies.find((policy) => policy.name === policyId)?.name ??
      overview?.policies.find((policy) => policy.text.includes(`@id("${policyId}")`))?.name,
    [overview],
  );

  const showPolicy = (policyId: string) => {
    const name = policyNameOf(policyId);
    if (!name) return;
    setOpenPolicies((current) => new Set([...current, name]));
    setFocusPolicy(name);
  };
  // After the policy has opened: bring it into view and move focus to it.
  useEffect(() => {
    if (!focusPolicy) return;
    const element = policyRefs.current.get(focusPolicy);
    element?.scrollIntoView({ block: 'start' });
    element?.querySelector<HTMLElement>('summary')?.focus();
    setFocusPolicy(null);
  }, [focusPolicy]);

  const setPolicyOpen = (name: string, open: boolean) =>
    setOpenPolicies((current) => {
      if (current.has(name) === open) return current;
      const next = new Set(current);
      if (open) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <main className="page admin-page" data-testid="admin-page" aria-busy={state === 'loading'}>
      <header className="page-header">
        <div>
          <h1>Administration{overview ? `: ${overview.workspace.name}` : ''}</h1>
          <p className="muted">
            {overview?.workspace.description ?? 'What this workspace is made of, and what its policies decide.'}
            {overview && overview.workspace.admins.length > 0 ? (
              <>
                {' '}
                Administrators: members of <GroupList groups={overview.workspace.admins} />.
              </>
            ) : null}
          </p>
        </div>
        <div className="page-header-actions">
          <button
            type="button"
            className="button"
            onClick={load}
            disabled={state === 'loading'}
            data-testid="admin-refresh"
          >
            {state === 'loading' ? 'Loading…' : 'Reload'}
          </button>
        </div>
      </header>
      {overview === null ? (
        <p className="muted" data-testid="admin-state" data-state={state}>
          {state === 'loading'
            ? 'Loading the workspace…'
            : state === 'forbidden'
              ? 'This page is for the workspace’s administrators.'
              : state === 'absent'
                ? 'No workspace is served, so there is nothing to administer here.'
                : 'The workspace could not be loaded.'}
        </p>
      ) : (
        <>
          <nav className="admin-toc" aria-label="Sections of this page">
            {SECTIONS.map((section) => (
              <a key={section.id} href={`#${section.id}`}>
                {section.title}
              </a>
            ))}
          </nav>
          <AdminFindings id="admin-findings" findings={overview.findings} />
          <AdminDecisionForm id="admin-decide" overview={overview} onShowPolicy={showPolicy} canShow={policyNameOf} />
          <AdminLabelCatalogue id="admin-labels" labels={overview.labels} />
          <AdminSources id="admin-sources" sources={overview.sources} />
          <AdminAgents id="admin-agents" agents={overview.agents} />
          <AdminPolicies
            id="admin-policies"
            policies={overview.policies}
            open={openPolicies}
            onToggle={setPolicyOpen}
            refs={policyRefs.current}
          />
        </>
      )}
    </main>
  );
}

function GroupList({ groups }: { groups: readonly string[] }) {
  return (
    <>
      {groups.map((group, index) => (
        <span key={group}>
          {index > 0 ? ', ' : ''}
          <code>{group}</code>
        </span>
      ))}
    </>
  );
}
