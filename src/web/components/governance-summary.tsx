import type { GovernanceReport } from '../../governance/types.ts';

interface FigureValue {
  value: number;
  caption: string;
  tone: 'self' | 'user';
}

/** The three answers of SPEC §9 as headline figures, self-authorized against user-authorized. */
export function GovernanceSummary({ report }: { report: GovernanceReport }) {
  const { identities, outcomes, audit, deployment } = report;
  const sets = identities.memberSets.length;
  return (
    <section className="summary-grid" aria-label="Summary" data-testid="governance-summary">
      <Figure
        title="Agent identities to provision"
        values={[
          { value: identities.selfAuthorized, caption: 'self-authorized', tone: 'self' },
          { value: identities.userAuthorized, caption: 'user-authorized', tone: 'user' },
        ]}
        note={`${sets} distinct member ${sets === 1 ? 'set' : 'sets'}, one identity per intent of each; ${identities.provisioned.length} provisioned today`}
      />
      <Figure
        title="Requests whose outcome would differ"
        values={[
          { value: outcomes.lcd.capabilityLost, caption: 'lose capability (LCD)', tone: 'self' },
          { value: outcomes.union.overPrivileged, caption: 'over-privileged (union)', tone: 'self' },
          { value: 0, caption: 'user-authorized', tone: 'user' },
        ]}
        note={`of ${outcomes.replayed} ${outcomes.replayed === 1 ? 'request' : 'requests'} replayed under each agent identity`}
      />
      <Figure
        title="Audit records that cannot name a human"
        values={[
          { value: audit.withoutHumanSelfAuthorized, caption: 'self-authorized', tone: 'self' },
          { value: audit.system, caption: 'user-authorized', tone: 'user' },
        ]}
        note={`of ${audit.total} records; ${audit.system} ${audit.system === 1 ? 'is a system action' : 'are system actions'} such as seeding`}
      />
      <p className="summary-footnote muted small">
        Deployment: {deployment.users} people, {deployment.groups.length} groups, {deployment.threads}{' '}
        {deployment.threads === 1 ? 'thread' : 'threads'}, {deployment.auditRecords} audit records; policy version{' '}
        <code>{deployment.policyVersion}</code>.
      </p>
    </section>
  );
}

function Figure({ title, values, note }: { title: string; values: FigureValue[]; note: string }) {
  return (
    <article className="figure-card">
      <h2>{title}</h2>
      <div className="figure-values">
        {values.map((item) => (
          <div key={item.caption}>
            <span className={`figure-number figure-${item.tone}`}>{item.value}</span>
            <span className="figure-caption">{item.caption}</span>
          </div>
        ))}
      </div>
      <p className="muted small">{note}</p>
    </article>
  );
}
