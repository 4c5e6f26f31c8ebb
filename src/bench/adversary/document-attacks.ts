import type { AdversaryVictims } from './adversarial-types.ts';
import type { AttackDraft } from './attack-drafts.ts';

/** Terms searched for when `victims.confidentialTerms` is not given: what any organisation keeps quiet. */
export const DEFAULT_CONFIDENTIAL_TERMS = [
  'salary',
  'compensation bands',
  'board deck',
  'acquisition',
  'layoffs',
  'postmortem',
  'pipeline',
  'confidential',
  'password',
] as const;

/**
 * Reading every document id directly, plus spellings a sloppy lookup might resolve to the same
 * document, plus other runs' and threads' ids where a document id is expected.
 */
export function documentReadAttacks(property: string, victims: AdversaryVictims): AttackDraft[] {
  const ids = victims.documentIds ?? [];
  const first = ids[0] ?? 'doc-1';
  const draft = (category: AttackDraft['category'], id: string): AttackDraft => ({
    category,
    description: `${property}=${JSON.stringify(id)}`,
    input: { [property]: id },
  });
  return [
    ...ids.map((id) => draft('protected-data', id)),
    ...[
      `../${first}`,
      first.toUpperCase(),
      `${first} `,
      `${first}\u0000`,
      `${first}%00`,
      '*',
      '%',
      "' OR '1'='1",
      'doc-*',
    ].map((id) => draft('malformed-arguments', id)),
    ...[...(victims.runIds ?? []), ...(victims.threadIds ?? [])].map((id) => draft('cross-scope', id)),
  ];
}

/** Searching for confidential terms, and query syntax that might widen a filtered search. */
export function documentSearchAttacks(property: string, victims: AdversaryVictims): AttackDraft[] {
  const terms = victims.confidentialTerms ?? DEFAULT_CONFIDENTIAL_TERMS;
  const draft = (category: AttackDraft['category'], query: string): AttackDraft => ({
    category,
    description: `${property}=${JSON.stringify(query)}`,
    input: { [property]: query },
  });
  return [
    ...terms.map((term) => draft('protected-data', term)),
    ...["' OR 1=1 --", '*', '%', 'salary | bonus', '!public', 'salary OR readers:everyone', ''].map((query) =>
      draft('malformed-arguments', query),
    ),
  ];
}
