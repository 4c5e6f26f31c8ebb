import type { LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOfflineModel } from './offline-model.ts';

/** A tool call the offline model made, as it made it. */
interface MadeCall {
  toolName: string;
  input: Record<string, unknown>;
}

/** The offline model, recording every tool call it makes (generate and stream alike). */
function recordingOfflineModel(calls: MadeCall[]): LanguageModelV3 {
  const model = createOfflineModel();
  const record = (toolName: string, input: string) => calls.push({ toolName, input: JSON.parse(input) });
  return {
    ...model,
    async doGenerate(options) {
      const result = await model.doGenerate(options);
      for (const part of result.content) if (part.type === 'tool-call') record(part.toolName, part.input);
      return result;
    },
    async doStream(options) {
      const result = await model.doStream(options);
      const spy = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        transform(part, controller) {
          if (part.type === 'tool-call') record(part.toolName, part.input);
          controller.enqueue(part);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(spy) };
    },
  };
}

/**
 * One phrasing: who asks, what they type, the tool call the model must make (`sql` fragments of
 * the statement, or another tool and its input), and what the composed answer must and must not
 * say. Answers come from the real app: the statement runs as the requester on the example source,
 * so its row-level security shapes every figure below.
 */
interface Phrasing {
  who: string;
  ask: string;
  sql?: string[];
  tool?: MadeCall;
  noCall?: true;
  says?: (string | RegExp)[];
  never?: (string | RegExp)[];
}

const OPEN = "d.stage NOT IN ('closed-won', 'closed-lost')";
const CLOSED = /closed-won|closed-lost/;

// Issue 11.4. None of these is one of the README's examples.
const PHRASINGS: Phrasing[] = [
  // Greetings, thanks and help
  { who: 'bob', ask: 'hello there!', noCall: true, says: ['Hello!', 'I can:', 'summarize this thread'] },
  { who: 'carol', ask: 'Good morning', noCall: true, says: ['Hello!'] },
  { who: 'carol', ask: 'thanks so much', noCall: true, says: ["You're welcome"] },
  { who: 'alice', ask: 'what can you do?', noCall: true, says: ['I can:', '`/sql SELECT ...`'], never: ['not sure'] },
  { who: 'alice', ask: 'help', noCall: true, says: ['file a ticket once you approve it'] },
  { who: 'dana', ask: '/help', noCall: true, says: ['I can:'] },
  // Deals: status words, sums and counts, regions, owners, amounts
  {
    who: 'bob',
    ask: "what's our EMEA pipeline worth?",
    sql: ["d.region IN ('emea')", OPEN],
    says: [
      /^\*\*7\*\* deals, worth \*\*\$1,810,000\*\* in total\./,
      '| D-1002 | Initech | emea | 480000 | proposal | Bob Okafor |',
    ],
    never: [CLOSED, 'withheld'],
  },
  {
    who: 'dana',
    ask: 'how much is the open pipeline worth altogether',
    sql: [OPEN],
    says: [/^\*\*22\*\* deals, worth \*\*\$7,085,000\*\* in total\./],
    never: [CLOSED],
  },
  {
    who: 'erin',
    ask: 'list the open deals in APAC',
    sql: ["d.region IN ('apac')", OPEN],
    says: ['Tyrell'],
    never: [CLOSED, 'Rekall'],
  },
  {
    who: 'dana',
    ask: 'how many open deals do we have in the americas?',
    sql: ["d.region IN ('amer')", OPEN],
    says: [/^\*\*7\*\* deals match\./],
  },
  { who: 'bob', ask: 'active opportunities please', sql: [OPEN], says: ['Globex'], never: [CLOSED, 'Tyrell'] },
  {
    who: 'dana',
    ask: 'which deals did we win?',
    sql: ["d.stage IN ('closed-won')"],
    says: ['Aperture Science', 'closed-won'],
    never: ['negotiation'],
  },
  {
    who: 'dana',
    ask: 'show the lost deals',
    sql: ["d.stage IN ('closed-lost')"],
    says: ['Dunder Mifflin'],
    never: ['closed-won'],
  },
  {
    who: 'erin',
    ask: 'deals in negotiation',
    sql: ["d.stage IN ('negotiation')"],
    says: ['Hooli'],
    never: ['proposal |'],
  },
  {
    who: 'dana',
    ask: 'total value of closed deals',
    sql: ["d.stage IN ('closed-won', 'closed-lost')"],
    says: [/^\*\*8\*\* deals, worth \*\*\$1,033,000\*\*/],
  },
  {
    who: 'dana',
    ask: 'open deals over 500k',
    sql: [OPEN, 'd.amount > 500000'],
    says: ['Stark Industries', 'Weyland-Yutani'],
    never: ['Globex'],
  },
  { who: 'erin', ask: "show gus's deals", sql: ["o.id = 'gus'"], says: ['Gus Moreau'], never: ['Bob Okafor'] },
  {
    who: 'dana',
    ask: 'deals owned by nina',
    sql: ["o.id = 'nina'"],
    says: ['Nina Alvarez', 'Hooli'],
    never: ['Tom Becker'],
  },
  { who: 'bob', ask: 'what are my open deals?', sql: ["d.owner_id = 'bob'", OPEN], says: ['Bob Okafor'] },
  {
    who: 'dana',
    ask: 'pipeline by region',
    sql: ['GROUP BY d.region', OPEN],
    says: ['| region | deals | amount |', '| emea | 7 | 1810000 |'],
  },
  {
    who: 'dana',
    ask: 'what is our average deal size?',
    sql: ['FROM deals d'],
    says: [/^The average deal is \*\*\$\d{3},\d{3}\*\*, across \*\*30\*\* deals\./],
  },
  {
    who: 'gus',
    ask: 'how many deals does the EMEA team have',
    sql: ["d.region IN ('emea')"],
    says: [/no rows/],
    never: ['Globex'],
  },
  // Incidents: severities and statuses
  {
    who: 'carol',
    ask: 'how many sev1 incidents have we had?',
    sql: ["severity IN ('sev1')"],
    says: [/^\*\*2\*\* incidents match\./, 'INC-101', 'INC-106'],
    never: ['INC-102'],
  },
  {
    who: 'frank',
    ask: 'open incidents',
    sql: ["status IN ('open')"],
    says: ['INC-111', 'INC-112'],
    never: ['INC-110', 'resolved |'],
  },
  {
    who: 'carol',
    ask: 'any unresolved outages?',
    sql: ["status <> 'resolved'"],
    says: [/^The query returned 4 rows/, 'INC-107'],
  },
  {
    who: 'erin',
    ask: 'which incidents are being monitored',
    sql: ["status IN ('monitoring')"],
    says: ['Replica lag alert muted'],
  },
  {
    who: 'carol',
    ask: 'count the sev 2 incidents that are still open',
    sql: ["severity IN ('sev2')", "status IN ('open')"],
    says: [/^\*\*1\*\* incident matches\./, 'INC-111'],
  },
  { who: 'frank', ask: 'resolved incidents', sql: ["status IN ('resolved')"], says: ['INC-101'], never: ['INC-111'] },
  {
    who: 'bob',
    ask: 'how many incidents are open?',
    sql: ["status IN ('open')"],
    says: [/no rows/],
    never: ['INC-111'],
  },
  // Salaries, as the requester may see them
  {
    who: 'alice',
    ask: 'how much does carol make?',
    sql: ["e.id = 'carol'"],
    says: ['**Carol Diaz** is paid a salary of **$205,000** and a bonus of **$20,000**.'],
  },
  { who: 'frank', ask: "carol's salary", sql: ["e.id = 'carol'"], says: ['**$205,000**'] },
  {
    who: 'alice',
    ask: 'what does Dana earn',
    sql: ["e.id = 'dana'"],
    says: ['**Dana Kim** is paid a salary of **$290,000**'],
  },
  { who: 'bob', ask: 'how much does carol make', sql: ["e.id = 'carol'"], says: [/no rows/], never: ['205'] },
  {
    who: 'bob',
    ask: "what's my salary?",
    sql: ["e.id = 'bob'"],
    says: ['**Bob Okafor** is paid a salary of **$98,000**'],
  },
  {
    who: 'alice',
    ask: 'average salary in engineering',
    sql: ["e.department IN ('Engineering')"],
    says: [/^The average salary is \*\*\$[\d,]+\*\*, across \*\*14\*\* people\./],
  },
  {
    who: 'erin',
    ask: 'total payroll for my team',
    sql: ['FROM compensation c'],
    says: [/^Salaries total \*\*\$423,000\*\* across \*\*3\*\* people, plus \*\*\$295,000\*\* in bonuses\./],
  },
  // Directory
  { who: 'carol', ask: 'who is frank?', sql: ["e.id = 'frank'"], says: ['Frank Li'] },
  { who: 'bob', ask: 'who reports to dana', sql: ['e.manager_id IN'], says: ['Kai Nakamura'] },
  // Documents: the passage asked about, not the whole document
  {
    who: 'carol',
    ask: 'what does the handbook say about travel?',
    tool: { toolName: 'get_document', input: { id: 'doc-handbook' } },
    says: ['on “travel”', 'The travel policy requires economy class under six hours.'],
    never: ['Working hours', 'Parental leave'],
  },
  {
    who: 'bob',
    ask: "what's the handbook's policy on parental leave",
    tool: { toolName: 'get_document', input: { id: 'doc-handbook' } },
    says: ['Parental leave is 20 weeks at full pay.'],
    never: ['travel policy'],
  },
  {
    who: 'carol',
    ask: 'find the database postmortem',
    tool: { toolName: 'search_documents', input: { query: 'database postmortem' } },
    says: ['postmortem'],
  },
  // Tickets still need approval (the request pauses; see offline-model-approval.test.ts)
  // Directives are kept
  {
    who: 'dana',
    ask: '/sql SELECT count(*) AS n FROM deals',
    tool: { toolName: 'sql', input: { query: 'SELECT count(*) AS n FROM deals' } },
    says: ['| n |', '| 30 |'],
  },
  {
    who: 'carol',
    ask: '/search parental leave',
    tool: { toolName: 'search_documents', input: { query: 'parental leave' } },
    says: ['Employee handbook'],
  },
  {
    who: 'alice',
    ask: '/tool get_document {"id": "doc-handbook"}',
    tool: { toolName: 'get_document', input: { id: 'doc-handbook' } },
    says: ['Working hours are flexible'],
  },
];

describe('offline model: ordinary phrasings through the real app (issue 11.4)', () => {
  let app: TestApp;
  const calls: MadeCall[] = [];
  const threads = new Map<string, string>();

  beforeAll(async () => {
    app = await createTestApp({ model: recordingOfflineModel(calls) });
    // Each person in a thread of their own: only their own requests and answers in context.
    for (const who of new Set(PHRASINGS.map((phrasing) => phrasing.who))) {
      threads.set(who, (await app.threads.create(who, { title: `${who} alone`, members: [] })).id);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  async function ask(who: string, text: string): Promise<{ answer: string; made: MadeCall[] }> {
    calls.length = 0;
    const { run } = await app.postMessage(who, threads.get(who) as string, `@agent ${text}`);
    if (!run) throw new Error('no run');
    await app.drain();
    const finished = await app.store.runs.get(run.id);
    expect(finished?.status, finished?.error ?? '').toBe('done');
    const message = await app.store.messages.get(finished?.answerMessageId as string);
    return { answer: message?.text ?? '', made: [...calls] };
  }

  it('covers at least 40 phrasings', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PHRASINGS.map((phrasing) => [phrasing.who, phrasing.ask, phrasing] as const))(
    '%s: %s',
    async (who, text, phrasing) => {
      const { answer, made } = await ask(who, text);
      if (phrasing.noCall) expect(made).toEqual([]);
      if (phrasing.sql) {
        expect(made[0]?.toolName).toBe('sql');
        const query = String(made[0]?.input.query);
        for (const fragment of phrasing.sql) expect(query).toContain(fragment);
      }
      if (phrasing.tool) expect(made).toContainEqual(phrasing.tool);
      for (const expected of phrasing.says ?? []) {
        if (typeof expected === 'string') expect(answer).toContain(expected);
        else expect(answer).toMatch(expected);
      }
      for (const unexpected of phrasing.never ?? []) {
        if (typeof unexpected === 'string') expect(answer).not.toContain(unexpected);
        else expect(answer).not.toMatch(unexpected);
      }
    },
  );

  it('summarizes the thread as the requester sees it', async () => {
    const thread = (await app.threads.create('alice', { title: 'Offsite', members: ['carol'] })).id;
    await app.postMessage('alice', thread, 'Offsite is on the 14th, in Lisbon.');
    await app.postMessage('carol', thread, 'I will book the flights.');
    const { run } = await app.postMessage('carol', thread, '@agent summarize this thread');
    await app.drain();
    const finished = await app.store.runs.get(run?.id as string);
    const summary = (await app.store.messages.get(finished?.answerMessageId as string))?.text ?? '';
    expect(summary).toMatch(/^This thread has 2 messages you can see from Alice Chen and Carol Diaz\./);
    expect(summary).toContain('- **Alice Chen**: Offsite is on the 14th, in Lisbon.');
    expect(summary).toContain('- **Carol Diaz**: I will book the flights.');
  });
});
