import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/types.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { WS_CLOSE_CODES } from '../../src/protocol/wire.ts';
import { type Gate, gate } from '../invariants/support/index.ts';
import { ACME_THREAD, ACME_USERS } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { askAgent, createHttpFixture, type HttpFixture } from './http-fixture.ts';
import { entra, okta, PATCH_OP } from './scim-recorded-requests.ts';
import { TestSocket } from './ws-client.ts';

/**
 * SCIM 2.0 provisioning (issue 9 point 2), through HTTP on the whole app, with requests in the
 * shapes Okta and Entra ID send: people created, adopted, updated, deactivated and deleted;
 * groups pushed and their members changed; and what that does at once — sessions end, sockets
 * close, the next decision about the person follows (I3), every change is audited.
 */

const TOKEN = 'scim-test-token-0123456789abcdef0123456789abcdef';
const SCIM_TYPE = /^application\/scim\+json/;

/** A JSON response body, loosely typed for tests. */
// biome-ignore lint/suspicious/noExplicitAny: test responses are checked by assertions, not types
type Json = any;

type ScimCall = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{
  status: number;
  body: Json;
  headers: Headers;
}>;

function scimClient(request: (method: string, path: string, init: RequestInit) => Promise<Response>): ScimCall {
  return async (method, path, body, headers = {}) => {
    const all: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...headers };
    if (body !== undefined) all['content-type'] ??= 'application/scim+json';
    const response = await request(method, `/scim/v2${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
}

const scimActions = async (app: TestApp): Promise<AuditRecord[]> => {
  await app.audit.drain();
  return (await app.store.audit.query({})).filter((record) => record.action.startsWith('scim.'));
};

describe('SCIM 2.0 provisioning over HTTP', () => {
  let f: HttpFixture;
  let scim: ScimCall;

  beforeAll(async () => {
    f = await createHttpFixture({ scim: { token: TOKEN } });
    scim = scimClient((_method, path, init) => Promise.resolve(f.http.request(path, init)));
    // What a workspace seed gives people: their work email.
    for (const user of ACME_USERS) await f.app.store.users.upsert({ ...user, email: `${user.id}@acme.example` });
  });
  afterAll(async () => {
    await f.close();
  });

  describe('the endpoint', () => {
    it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas, as application/scim+json', async () => {
      const config = await scim('GET', '/ServiceProviderConfig');
      expect(config.status).toBe(200);
      expect(config.headers.get('content-type')).toMatch(SCIM_TYPE);
      expect(config.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        filter: { supported: true, maxResults: 200 },
        bulk: { supported: false },
        authenticationSchemes: [{ type: 'oauthbearertoken' }],
      });
      const types = await scim('GET', '/ResourceTypes');
      expect(types.body.Resources.map((type: Json) => type.endpoint)).toEqual(['/Users', '/Groups']);
      expect((await scim('GET', '/ResourceTypes/User')).body.schema).toBe('urn:ietf:params:scim:schemas:core:2.0:User');
      const schemas = await scim('GET', '/Schemas');
      expect(schemas.body.totalResults).toBe(3);
      const user = await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
      expect(user.body.attributes.map((attribute: Json) => attribute.name)).toContain('userName');
    });

    it.each([
      ['no Authorization header', undefined],
      ['a wrong token', `Bearer ${TOKEN.replace(/.$/, 'x')}`],
      ['a longer token', `Bearer ${TOKEN}x`],
      ['Basic credentials', `Basic ${Buffer.from(`scim:${TOKEN}`).toString('base64')}`],
      ['the token in another scheme', `Token ${TOKEN}`],
    ])('refuses %s with 401 and a SCIM error', async (_case, authorization) => {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const response = await f.http.request('/scim/v2/Users', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(SCIM_TYPE);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.any(String),
      });
    });

    it("refuses a person's session token: SCIM takes its own token, never a session", async () => {
      const dana = await f.signIn('dana');
      const response = await f.http.request('/scim/v2/Users', { headers: { authorization: `Bearer ${dana.token}` } });
      expect(response.status).toBe(401);
      const writes = await f.http.request('/scim/v2/Users', {
        method: 'POST',
        headers: { cookie: dana.cookie, 'content-type': 'application/scim+json' },
        body: JSON.stringify(okta.createUser('mallory@acme.example', 'Mal', 'Lory', 'x')),
      });
      expect(writes.status).toBe(401);
      expect(await f.app.store.users.get('mallory')).toBeUndefined();
    });

    it('is off (404) when no token is configured', async () => {
      const off = await createHttpFixture({}, { seed: false });
      try {
        for (const path of ['/scim/v2/Users', '/scim/v2/ServiceProviderConfig', '/scim/v2/Groups']) {
          const response = await off.http.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
          expect(response.status).toBe(404);
        }
      } finally {
        await off.close();
      }
    });

    it.each<[string, string, string, unknown, Record<string, string>, string | undefined, number]>([
      ['malformed JSON', 'POST', '/Users', '{"userName": "x"', {}, 'invalidSyntax', 400],
      [
        'a User without userName',
        'POST',
        '/Users',
        { schemas: [], name: { givenName: 'No' } },
        {},
        'invalidValue',
        400,
      ],
      ['a User whose userName is not a string', 'POST', '/Users', { userName: 42 }, {}, 'invalidValue', 400],
      [
        'an email that is not one',
        'POST',
        '/Users',
        { userName: 'x@y.example', emails: [{ value: 'no' }] },
        {},
        'invalidValue',
        400,
      ],
      ['a Group without displayName', 'POST', '/Groups', { members: [] }, {}, 'invalidValue', 400],
      [
        'a PATCH without its schema',
        'PATCH',
        '/Users/alice',
        { Operations: [{ op: 'replace', value: { active: false } }] },
        {},
        'invalidSyntax',
        400,
      ],
      [
        'a PATCH with an unknown op',
        'PATCH',
        '/Users/alice',
        { schemas: [PATCH_OP], Operations: [{ op: 'explode', path: 'active' }] },
        {},
        'invalidSyntax',
        400,
      ],
      [
        'a PATCH with no operations',
        'PATCH',
        '/Users/alice',
        { schemas: [PATCH_OP], Operations: [] },
        {},
        'invalidSyntax',
        400,
      ],
      [
        'a PATCH with a broken path',
        'PATCH',
        '/Users/alice',
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] },
        {},
        'invalidPath',
        400,
      ],
      [
        'a PATCH remove without a path',
        'PATCH',
        '/Users/alice',
        { schemas: [PATCH_OP], Operations: [{ op: 'remove' }] },
        {},
        'noTarget',
        400,
      ],
      [
        'a PATCH that makes active a non-boolean',
        'PATCH',
        '/Users/alice',
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] },
        {},
        'invalidValue',
        400,
      ],
      [
        'a body that is not JSON at all',
        'POST',
        '/Users',
        'userName=x',
        { 'content-type': 'application/x-www-form-urlencoded' },
        undefined,
        415,
      ],
    ])(
      'refuses %s with a SCIM error, changing nothing',
      async (_case, method, path, body, headers, scimType, status) => {
        const before = await f.app.store.users.list();
        const response = await scim(method, path, body, headers);
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(SCIM_TYPE);
        expect(response.body).toMatchObject({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: String(status),
          ...(scimType ? { scimType } : {}),
        });
        expect(await f.app.store.users.list()).toEqual(before);
      },
    );

    it.each([
      ['an unknown operator', 'userName xx "a"'],
      ['an unterminated string', 'userName eq "a'],
      ['a dangling and', 'userName eq "a" and'],
      ['a bare word', 'alice'],
    ])('refuses a filter with %s: 400 invalidFilter', async (_case, filter) => {
      const response = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    });

    it('answers 404 with a SCIM error for unknown resources and endpoints', async () => {
      for (const path of ['/Users/nobody', '/Groups/no-such-group', '/Bulk', '/Schemas/urn:nothing']) {
        const response = await scim('GET', path);
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '404',
        });
      }
    });
  });

  describe('Okta', () => {
    it('creates a person, pushes a group with members added and removed, deactivates and deletes', async () => {
      const userName = 'new.hire@acme.example';
      const found = await scim('GET', okta.findUser(userName), undefined, okta.headers);
      expect(found.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        Resources: [],
      });

      const created = await scim(
        'POST',
        '/Users',
        okta.createUser(userName, 'New', 'Hire', '00u1newhire'),
        okta.headers,
      );
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('http://localhost/scim/v2/Users/new.hire');
      expect(created.body).toMatchObject({
        id: 'new.hire',
        userName,
        externalId: '00u1newhire',
        displayName: 'New Hire',
        name: { givenName: 'New', familyName: 'Hire' },
        emails: [{ value: userName, type: 'work', primary: true }],
        active: true,
        groups: [],
        meta: { resourceType: 'User', location: 'http://localhost/scim/v2/Users/new.hire' },
      });
      expect(created.body).not.toHaveProperty('password');
      expect(await f.app.store.users.get('new.hire')).toMatchObject({
        name: 'New Hire',
        email: userName,
        userName,
        attributes: { givenName: 'New', familyName: 'Hire' },
        active: true,
      });
      expect((await scim('GET', okta.findUser(userName))).body.Resources.map((user: Json) => user.id)).toEqual([
        'new.hire',
      ]);
      expect((await scim('GET', '/Users/new.hire')).body.userName).toBe(userName);

      // The same userName again, in another case: taken.
      const again = await scim('POST', '/Users', okta.createUser(userName.toUpperCase(), 'N', 'H', 'x'), okta.headers);
      expect(again).toMatchObject({ status: 409, body: { status: '409', scimType: 'uniqueness' } });

      // A profile push (PUT) with the whole User.
      const replaced = await scim(
        'PUT',
        '/Users/new.hire',
        okta.replaceUser('new.hire', userName, 'Newly', 'Hired', 'Analyst'),
        okta.headers,
      );
      expect(replaced.body).toMatchObject({
        id: 'new.hire',
        displayName: 'Newly Hired',
        title: 'Analyst',
        active: true,
      });

      // Group push: the group, then its members.
      const pushed = await scim('POST', '/Groups', okta.pushGroup('Okta Pilot Team'), okta.headers);
      expect(pushed.status).toBe(201);
      expect(pushed.body).toMatchObject({
        id: 'okta-pilot-team',
        displayName: 'Okta Pilot Team',
        members: [],
        meta: { resourceType: 'Group', location: 'http://localhost/scim/v2/Groups/okta-pilot-team' },
      });
      const added = await scim(
        'PATCH',
        '/Groups/okta-pilot-team',
        okta.addMembers([
          { value: 'new.hire', display: userName },
          { value: 'carol', display: 'carol@acme.example' },
        ]),
        okta.headers,
      );
      expect(added.status).toBe(200);
      expect(added.body.members.map((member: Json) => member.value).sort()).toEqual(['carol', 'new.hire']);
      expect((await f.app.store.users.get('new.hire'))?.groups).toEqual(['okta-pilot-team']);
      expect((await f.app.store.users.get('carol'))?.groups).toEqual(['engineering', 'okta-pilot-team']);
      expect((await scim('GET', '/Users/new.hire')).body.groups).toEqual([
        { value: 'okta-pilot-team', display: 'okta-pilot-team', type: 'direct' },
      ]);

      const removed = await scim('PATCH', '/Groups/okta-pilot-team', okta.removeMember('carol'), okta.headers);
      expect(removed.body.members.map((member: Json) => member.value)).toEqual(['new.hire']);
      expect((await f.app.store.users.get('carol'))?.groups).toEqual(['engineering']);

      const renamed = await scim(
        'PATCH',
        '/Groups/okta-pilot-team',
        okta.renameGroup('okta-pilot-team', 'Okta Pilot Team (2026)'),
        okta.headers,
      );
      expect(renamed.body).toMatchObject({ id: 'okta-pilot-team', displayName: 'Okta Pilot Team (2026)' });
      const byName = await scim(
        'GET',
        `/Groups?filter=${encodeURIComponent('displayName eq "okta pilot team (2026)"')}`,
      );
      expect(byName.body.Resources.map((group: Json) => group.id)).toEqual(['okta-pilot-team']);

      // Deactivation: the person's sessions end and they cannot sign in again.
      const session = await f.signIn('new.hire');
      expect((await f.call('GET', '/api/me', { as: session })).status).toBe(200);
      const deactivated = await scim('PATCH', '/Users/new.hire', okta.deactivate, okta.headers);
      expect(deactivated.body).toMatchObject({ id: 'new.hire', active: false });
      expect((await f.call('GET', '/api/me', { as: session })).status).toBe(401);
      expect((await f.call('POST', '/api/session', { body: { user: 'new.hire' } })).status).toBe(401);
      expect((await f.call('GET', '/api/users', { as: await f.signIn('alice') })).status).toBe(200);
      const listed = (await (await f.call('GET', '/api/users', { as: await f.signIn('alice') })).json()) as Json;
      expect(listed.users.map((user: Json) => user.id)).not.toContain('new.hire');
      // Still visible to the identity provider, inactive.
      expect((await scim('GET', okta.findUser(userName))).body.Resources[0]).toMatchObject({ active: false });

      const reactivated = await scim('PATCH', '/Users/new.hire', okta.reactivate, okta.headers);
      expect(reactivated.body.active).toBe(true);
      expect((await f.call('POST', '/api/session', { body: { user: 'new.hire' } })).status).toBe(200);

      expect((await scim('DELETE', '/Groups/okta-pilot-team')).status).toBe(204);
      expect((await scim('GET', '/Groups/okta-pilot-team')).status).toBe(404);
      expect((await f.app.store.users.get('new.hire'))?.groups).toEqual([]);

      const later = await f.signIn('new.hire');
      expect((await scim('DELETE', '/Users/new.hire')).status).toBe(204);
      expect((await f.call('GET', '/api/me', { as: later })).status).toBe(401);
      expect((await scim('GET', '/Users/new.hire')).status).toBe(404);
      expect((await scim('GET', okta.findUser(userName))).body.totalResults).toBe(0);
      expect((await scim('DELETE', '/Users/new.hire')).status).toBe(404);
      // Provisioned again, the person gets a new id: the old one (named by threads, answers and
      // audit records) is never handed to someone else.
      const recreated = await scim('POST', '/Users', okta.createUser(userName, 'New', 'Hire', '00u2'), okta.headers);
      expect(recreated.body.id).toBe('new.hire-2');
      expect(await f.app.store.users.get('new.hire')).toMatchObject({ active: false, deletedAt: expect.any(Number) });
      expect((await f.call('POST', '/api/session', { body: { user: 'new.hire' } })).status).toBe(401);

      const actions = (await scimActions(f.app)).map((record) => `${record.action} ${record.resource}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'scim.user.create user:new.hire',
          'scim.user.update user:new.hire',
          'scim.group.create group:okta-pilot-team',
          'scim.group.update group:okta-pilot-team',
          'scim.user.deactivate user:new.hire',
          'scim.user.reactivate user:new.hire',
          'scim.group.delete group:okta-pilot-team',
          'scim.user.delete user:new.hire',
          'scim.user.create user:new.hire-2',
        ]),
      );
    });

    it('adopts a workspace person matched by email instead of creating a duplicate', async () => {
      const before = (await f.app.store.users.list()).length;
      const created = await scim(
        'POST',
        '/Users',
        okta.createUser('gus@acme.example', 'Gus', 'Moreau', '00u1gus'),
        okta.headers,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'gus', userName: 'gus@acme.example', externalId: '00u1gus' });
      // Groups, title and manager from the workspace stay; nobody new.
      expect(await f.app.store.users.get('gus')).toMatchObject({
        groups: ['sales', 'sales-apac'],
        title: 'Account executive, APAC',
        managerId: 'erin',
        userName: 'gus@acme.example',
      });
      expect((await f.app.store.users.list()).length).toBe(before);
      const audit = (await scimActions(f.app)).find((record) => record.resource === 'user:gus');
      expect(audit).toMatchObject({ action: 'scim.user.create', requester: null, decision: 'allow' });
      expect(audit?.reason).toMatch(/adopted gus/);
    });

    it('finds a workspace person by the userName it will adopt them by, and links groups people hold', async () => {
      const found = await scim('GET', okta.findUser('ivy@acme.example'));
      expect(found.body.Resources).toEqual([expect.objectContaining({ id: 'ivy', userName: 'ivy@acme.example' })]);
      // Spaces encoded as `+`, as some clients write query strings.
      const plus = await scim('GET', '/Users?filter=userName+eq+%22ivy%40acme.example%22');
      expect(plus.body.Resources.map((user: Json) => user.id)).toEqual(['ivy']);
      const groups = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Auditors"')}`);
      expect(groups.body.Resources).toEqual([
        expect.objectContaining({
          id: 'auditors',
          displayName: 'auditors',
          members: [expect.objectContaining({ value: 'ivy' })],
        }),
      ]);
      // Pushing a group named like one people hold adopts it: same name, so the same policies.
      const pushed = await scim('POST', '/Groups', okta.pushGroup('Auditors'), okta.headers);
      expect(pushed.body).toMatchObject({ id: 'auditors', displayName: 'Auditors' });
      expect(pushed.body.members.map((member: Json) => member.value)).toEqual(['ivy']);
      expect((await scim('POST', '/Groups', okta.pushGroup('AUDITORS'), okta.headers)).status).toBe(409);
    });

    it('pages lists (1-based startIndex, count) and projects attributes', async () => {
      const page = await scim('GET', '/Users?startIndex=2&count=3');
      expect(page.body).toMatchObject({ startIndex: 2, itemsPerPage: 3 });
      expect(page.body.totalResults).toBeGreaterThanOrEqual(8);
      const all = await scim('GET', '/Users');
      expect(page.body.Resources.map((user: Json) => user.id)).toEqual(
        all.body.Resources.slice(1, 4).map((user: Json) => user.id),
      );
      const projected = await scim('GET', '/Users/alice?attributes=userName');
      expect(Object.keys(projected.body).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
      const none = await scim('GET', '/Users?count=0');
      expect(none.body).toMatchObject({ itemsPerPage: 0, Resources: [] });
    });

    it('refuses a member that is no User, changing nothing', async () => {
      const response = await scim('PATCH', '/Groups/hr', okta.addMembers([{ value: 'mallory', display: 'm' }]));
      expect(response).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
      expect(await f.app.store.users.get('mallory')).toBeUndefined();
    });
  });

  describe('Entra ID', () => {
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
    const id = 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1';

    it('creates a person, updates them, manages group members, disables and deletes them', async () => {
      expect((await scim('GET', entra.findUser(userName), undefined, entra.headers)).body.totalResults).toBe(0);
      const created = await scim(
        'POST',
        '/Users',
        entra.createUser(userName, 'Test_User_fd0ea19b@testuser.com', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'),
        entra.headers,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id,
        userName,
        displayName: 'givenName familyName',
        emails: [{ value: 'Test_User_fd0ea19b@testuser.com' }],
        active: true,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Finance', employeeNumber: '4711' },
      });
      expect((await f.app.store.users.get(id))?.attributes).toEqual({
        givenName: 'givenName',
        familyName: 'familyName',
        department: 'Finance',
        employeeNumber: '4711',
      });

      const updated = await scim(
        'PATCH',
        `/Users/${id}`,
        entra.updateUser('updatedEmail@microsoft.com', 'updatedFamilyName'),
        entra.headers,
      );
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        emails: [{ value: 'updatedEmail@microsoft.com', type: 'work' }],
        name: { givenName: 'givenName', familyName: 'updatedFamilyName' },
        // The display name was the given and family names: it follows them.
        displayName: 'givenName updatedFamilyName',
      });
      expect(await f.app.store.users.get(id)).toMatchObject({
        email: 'updatedEmail@microsoft.com',
        attributes: { familyName: 'updatedFamilyName', department: 'Controlling' },
      });
      const managed = await scim('PATCH', `/Users/${id}`, entra.setManager('dana'), entra.headers);
      expect(managed.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].manager).toEqual({
        value: 'dana',
      });
      expect((await f.app.store.users.get(id))?.managerId).toBe('dana');
      expect((await scim('PATCH', `/Users/${id}`, entra.setManager('nobody'), entra.headers)).status).toBe(400);

      expect((await scim('GET', entra.findGroup('Finance Controllers'))).body.totalResults).toBe(0);
      const group = await scim(
        'POST',
        '/Groups',
        entra.createGroup('Finance Controllers', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'),
        entra.headers,
      );
      expect(group.status).toBe(201);
      // The id Entra put in the body is not ours to take.
      expect(group.body).toMatchObject({
        id: 'finance-controllers',
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      });
      const lookup = await scim('GET', entra.findGroup('Finance Controllers'));
      expect(lookup.body.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
      expect(lookup.body.Resources[0].id).toBe('finance-controllers');

      await scim('PATCH', '/Groups/finance-controllers', entra.addMember(id), entra.headers);
      expect((await f.app.store.users.get(id))?.groups).toEqual(['finance-controllers']);
      await scim('PATCH', '/Groups/finance-controllers', entra.removeMember(id), entra.headers);
      expect((await f.app.store.users.get(id))?.groups).toEqual([]);
      await scim('PATCH', '/Groups/finance-controllers', entra.addMember(id), entra.headers);
      await scim('PATCH', '/Groups/finance-controllers', entra.removeMemberByPath(id), entra.headers);
      expect((await f.app.store.users.get(id))?.groups).toEqual([]);
      expect((await scim('GET', '/Groups/finance-controllers')).body.members).toEqual([]);

      const disabled = await scim('PATCH', `/Users/${id}`, entra.disable, entra.headers);
      expect(disabled.body.active).toBe(false);
      expect((await f.app.store.users.get(id))?.active).toBe(false);
      const enabled = await scim('PATCH', `/Users/${id}`, entra.enable, entra.headers);
      expect(enabled.body.active).toBe(true);

      expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
      expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
      expect((await scim('DELETE', '/Groups/finance-controllers')).status).toBe(204);
    });

    it('adopts a workspace person whose email a new User lists, though its userName is a UPN', async () => {
      const created = await scim(
        'POST',
        '/Users',
        {
          ...entra.createUser('frank@acme.onmicrosoft.com', 'frank@acme.example', 'e-frank'),
          name: { formatted: 'Frank Li', givenName: 'Frank', familyName: 'Li' },
        },
        entra.headers,
      );
      expect(created.body).toMatchObject({ id: 'frank', userName: 'frank@acme.onmicrosoft.com' });
      expect((await f.app.store.users.get('frank'))?.groups).toEqual(['engineering', 'managers']);
    });
  });

  describe('what a change does at the next decision', () => {
    it('a group removal changes what the person may read at the next decision, and adding them back restores it', async () => {
      const alice = await f.signIn('alice');
      const ask = () =>
        askAgent(f, alice, ACME_THREAD.id, '@agent /tool get_document {"id":"doc-comp-bands"}').then(async (run) => {
          await f.app.audit.drain();
          return (await f.app.store.audit.query({ runId: run.id })).find((record) => record.action === 'tool.call');
        });
      expect(await ask()).toMatchObject({ decision: 'allow', requester: 'alice' });
      const hr = await scim('GET', entra.findGroup('hr'));
      expect(hr.body.Resources.map((group: Json) => group.id)).toEqual(['hr']);
      await scim('PATCH', '/Groups/hr', entra.removeMemberByPath('alice'), entra.headers);
      expect((await f.app.store.users.get('alice'))?.groups).toEqual(['managers']);
      const denied = await ask();
      expect(denied).toMatchObject({ decision: 'deny', requester: 'alice' });
      await scim('PATCH', '/Groups/hr', entra.addMember('alice'), entra.headers);
      expect(await ask()).toMatchObject({ decision: 'allow' });
    });
  });
});

describe('SCIM deprovisioning during a running turn (I3, I8)', () => {
  let app: TestApp;
  let server: RunningServer;
  let scim: ScimCall;
  let paused: Gate | undefined;
  const gates: Gate[] = [];
  let pauseAt = -1;
  let probe = 'doc-outage-postmortem';

  beforeAll(async () => {
    const model = createScriptedModel(async (_prompt, step) => {
      if (step === pauseAt && paused) {
        paused.arrive();
        await paused.promise;
      }
      return step < 2
        ? [{ type: 'tool-call', toolName: 'get_document', input: { id: probe } }]
        : [{ type: 'text', text: 'done' }];
    });
    app = await createTestApp({ model });
    server = await startServer({ app, port: 0, webRoot: null, scim: { token: TOKEN } });
    scim = scimClient((_method, path, init) => fetch(`${server.url}${path}`, init));
  });
  afterAll(async () => {
    for (const opened of gates) opened.open();
    await server.close();
    await app.close();
  });

  async function signIn(user: string): Promise<string> {
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  async function toolCalls(runId: string): Promise<AuditRecord[]> {
    await app.audit.drain();
    return (await app.store.audit.query({ runId })).filter((record) => record.action === 'tool.call');
  }

  /** Starts a turn with `token`, pauses it before its second step, runs `change`, lets it go on. */
  async function turnWithChange(token: string, change: () => Promise<void>): Promise<string> {
    paused = gate();
    gates.push(paused);
    pauseAt = 1;
    const posted = await fetch(`${server.url}/api/threads/${ACME_THREAD.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `@agent probe ${Math.random()}` }),
    });
    expect(posted.status).toBe(201);
    const runId = ((await posted.json()) as { run: { id: string } }).run.id;
    await paused.reached;
    try {
      await change();
    } finally {
      pauseAt = -1;
      paused.open();
    }
    await app.drain();
    return runId;
  }

  it('deactivation ends every session and socket at once, and the next tool call of the running turn is denied', async () => {
    const token = await signIn('carol');
    const other = await signIn('carol');
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/api/ws`, {
      authorization: `Bearer ${token}`,
    });
    expect(await socket.subscribe(ACME_THREAD.id)).toMatchObject({ type: 'subscribed' });

    const runId = await turnWithChange(token, async () => {
      const response = await scim('PATCH', '/Users/carol', entra.disable, entra.headers);
      expect(response).toMatchObject({ status: 200, body: { active: false } });
      // At once, before the turn goes on: sockets closed, sessions gone.
      expect((await socket.closed).code).toBe(WS_CLOSE_CODES.sessionEnded);
      for (const session of [token, other]) {
        const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${session}` } });
        expect(me.status).toBe(401);
      }
    });
    const calls = await toolCalls(runId);
    expect(calls.map((record) => record.decision)).toEqual(['allow', 'deny']);
    expect(calls[1]).toMatchObject({ requester: 'carol', resource: 'tool:get_document' });
    const run = await app.store.runs.get(runId);
    expect(run?.requesterId).toBe('carol');
    // Nor may they sign in or open a socket again.
    const again = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'carol' }),
    });
    expect(again.status).toBe(401);
    await scim('PATCH', '/Users/carol', entra.enable, entra.headers);
  });

  it('a group removal mid-turn takes effect at the next tool call of the running turn', async () => {
    probe = 'doc-comp-bands';
    try {
      const token = await signIn('alice');
      const runId = await turnWithChange(token, async () => {
        const response = await scim('PATCH', '/Groups/hr', okta.removeMember('alice'), okta.headers);
        expect(response.status).toBe(200);
      });
      const calls = await toolCalls(runId);
      expect(calls.map((record) => record.decision)).toEqual(['allow', 'deny']);
    } finally {
      probe = 'doc-outage-postmortem';
      await scim('PATCH', '/Groups/hr', okta.addMembers([{ value: 'alice', display: 'alice' }]), okta.headers);
    }
    expect((await app.store.users.get('alice'))?.groups).toEqual(['managers', 'hr']);
  });

  it('deletion ends the sessions and sockets too, and the person is gone for policy', async () => {
    const token = await signIn('gus');
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/api/ws`, {
      authorization: `Bearer ${token}`,
    });
    expect((await scim('DELETE', '/Users/gus')).status).toBe(204);
    expect((await socket.closed).code).toBe(WS_CLOSE_CODES.sessionEnded);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    const decision = await app.policy.authorize({
      principal: { type: 'User', id: 'gus' },
      action: 'readDocument',
      resource: { type: 'Document', id: 'doc-handbook' },
    });
    expect(decision.effect).toBe('deny');
  });
});
