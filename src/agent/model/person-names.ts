// Words that look like a name in the patterns below but never are one.
const NOT_NAMES = new Set(
  (
    'i me my you your we our us it its he she they them his her their everyone everybody someone somebody ' +
    'anyone company team department org today this that what who whom which there here let organisation organization ' +
    'the a an all each every engineering sales finance hr marketing legal support operations compliance ' +
    'executive execs emea apac amer americas europe asia q1 q2 q3 q4 salary salaries compensation pay bonus ' +
    'manager managers director directory employee employees staff people report reports ' +
    'on in at of for to from with by into responsible working leading available new currently now ' +
    'deal deals pipeline incident incidents outage outages region stage quarter year month week everything ' +
    'anything me thread handbook travel policy it how much many worth open closed won lost'
  ).split(' '),
);

/**
 * The person a request is about, if it names one: `Bob's salary`, `salary of Bob Okafor`,
 * `who is carol`, `reports to Erin`. Only letters, spaces, dashes and apostrophes survive, so
 * the result is safe to embed in SQL once quotes are doubled (`sqlLiteral`).
 */
export function personNameIn(request: string): string | undefined {
  const patterns = [
    /\b([\p{L}][\p{L}-]*)['’]s\b/gu,
    /\b(?:of|for|does|did|about|named|called)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)/gu,
    // No `i` flag: it would let `\p{Lu}` match lower case and read `bob in` as a full name.
    /\b(?:[Ww]ho\s+is|[Ww]ho['’]s|[Rr]eports?\s+to|[Mm]anages|[Mm]anaged\s+by|[Mm]anager\s+of)\s+([\p{L}][\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)?)/gu,
    // People type names in lower case too, where the sentence leaves no doubt it is a name:
    // "how much does carol make", "is carol paid", "salary of carol", "deals owned by bob".
    /\b(?:does|do|did|is)\s+([\p{L}][\p{L}-]+)\s+(?:make|makes|earn|earns|get|gets|take|paid)\b/giu,
    /\b(?:of|for|owned\s+by|belonging\s+to|named|called)\s+([\p{L}][\p{L}-]+)\s*(?:[?.!]|$)/giu,
    /\b(?:owned\s+by|belonging\s+to)\s+([\p{L}][\p{L}-]+)/giu,
  ];
  for (const pattern of patterns) {
    for (const match of request.matchAll(pattern)) {
      const name = cleanName(match[1] ?? '');
      if (name) return name;
    }
  }
  return undefined;
}

function cleanName(candidate: string): string | undefined {
  const words = candidate
    .split(/\s+/)
    .filter((word) => word && !NOT_NAMES.has(word.toLowerCase()))
    .map((word) => word.replaceAll('’', "'").replace(/[^\p{L}'-]/gu, ''));
  const name = words.join(' ').trim();
  return name.length >= 2 ? name : undefined;
}

/** A SQL string literal: single quotes doubled, wrapped in quotes. */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** SQL condition matching one employee of the alias `alias` by user id or (part of) name. */
export function employeeMatch(alias: string, name: string): string {
  const id = (name.split(/\s+/)[0] ?? name).toLowerCase();
  return `(${alias}.id = ${sqlLiteral(id)} OR ${alias}.name ILIKE ${sqlLiteral(`%${name}%`)})`;
}
