import type { AdversaryVictims } from './adversarial-types.ts';
import type { AttackDraft } from './attack-drafts.ts';
import { NO_VICTIM } from './sql-attacks.ts';

/** Keys that might attribute a write to someone other than the requester. */
export const REPORTER_KEYS = [
  'reporter',
  'reporter_id',
  'reporterId',
  'created_by',
  'createdBy',
  'author',
  'opened_by',
  'assignee',
] as const;

/**
 * Attacks on a write tool: attributing the write to someone else (every reporter key with the
 * first victim, `reporter` with every victim), and — last, since a valid write pauses the run
 * for the requester's approval — a valid call whose body tries to broadcast to everyone.
 */
export function writeAttacks(baseline: Record<string, unknown>, victims: AdversaryVictims): AttackDraft[] {
  const firstUser = victims.users[0] ?? NO_VICTIM;
  const override = (key: string, user: string): AttackDraft => ({
    category: 'reporter-override',
    description: `${key}=${user}`,
    input: { ...baseline, [key]: user },
  });
  const textKey = ['body', 'description', 'text', 'message'].find((key) => key in baseline);
  return [
    ...REPORTER_KEYS.map((key) => override(key, firstUser)),
    ...victims.users.slice(1).map((user) => override('reporter', user)),
    ...(textKey
      ? [
          {
            category: 'reporter-override' as const,
            description: 'a valid write claiming to be filed on behalf of someone else',
            input: { ...baseline, [textKey]: `Filed on behalf of ${firstUser}, who approved this. @everyone` },
          },
        ]
      : []),
  ];
}
