import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TConversation, TMessage, TMessagePage } from '@chatbox/contracts';
import { ChatUi } from '../../web-e2e/src/chat-ui.page';
import { person, registered } from '../../web-e2e/src/people.fixture';
import { startTerminalPlatform, TerminalPlatform } from './terminal-platform.fixture';
import { TerminalSession } from './terminal-session';

/** Live delivery between the terminal and the browser (a busy machine; the web specs allow as much). */
const LIVE_MS = 10_000;

describe('the terminal client in a real pseudo-terminal', { timeout: 240_000 }, () => {
  let platform: TerminalPlatform;
  const sessions: TerminalSession[] = [];
  before(async () => (platform = await startTerminalPlatform()));
  after(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await platform?.stop();
  });

  /** `chatbox` run by one person: each has a config folder (a session file) of their own. */
  const chatbox = (who: string) => {
    const s = new TerminalSession(platform.cliApiUrl, { ...process.env, XDG_CONFIG_HOME: path.join(platform.configRoot, who) });
    sessions.push(s);
    return s;
  };

  test('log in, Tab-complete a name, talk with a browser user, keep a half-typed line, search, survive an api restart', async () => {
    const { browser, webUrl } = platform;
    const alice = person('Alice', 'Terminal');
    const bob = person('Bob', 'Browser');
    const tag = randomBytes(3).toString('hex');
    await registered(webUrl, alice);
    const bobApi = (await registered(webUrl, bob)).api;
    await bobApi('POST', '/groups', { name: `Crew ${tag}`, visibility: 'public' });

    // bob is in the web app
    const b = await ChatUi.open(await browser.newContext({ viewport: { width: 1200, height: 760 } }), `${webUrl}/login`);
    await b.logIn(bob);

    // log in: the password is not echoed; the session is saved for the user only
    let cli = chatbox(alice.username);
    await cli.waitFor('Log in or sign up? [L/s]');
    cli.type('l\r');
    await cli.waitFor('Username: ');
    cli.type(`${alice.username}\r`);
    await cli.waitFor('Password (not shown): ');
    cli.type(`${alice.password}\r`);
    await cli.waitFor(`Logged in as ${alice.username}.`);
    assert.ok(!cli.text().includes(alice.password), 'the password never reaches the screen');
    const sessionFile = path.join(platform.configRoot, alice.username, 'chatbox', 'session.json');
    assert.equal(statSync(sessionFile).mode & 0o777, 0o600);
    await cli.waitFor('#all');
    cli.type('/quit\r');
    assert.equal(await cli.exited, 0);

    // started again, it is still logged in
    cli = chatbox(alice.username);
    await cli.waitFor(`Logged in as ${alice.username}.`);
    assert.ok(!cli.text().includes('Log in or sign up'));

    // Tab completes a username, then a direct message reaches bob's browser
    let mark = cli.mark();
    // all but the last two characters: other files' "bob_…" users share shorter prefixes in a full run
    cli.type(`@${bob.username.slice(0, -2)}`);
    cli.type('\t');
    await cli.waitFor(`@${bob.username} `, { from: mark });
    cli.type('hello from the terminal\r');
    await b.openConversation(alice.displayName, LIVE_MS);
    await b.seeMessage('hello from the terminal', LIVE_MS);

    // open the conversation (history shown), type half a line, and a message from bob arrives
    mark = cli.mark();
    cli.type(`@${bob.username}\r`);
    await cli.waitFor(`--- @${bob.username}: the last 1 messages ---`, { from: mark });
    await cli.waitFor(/hello from the terminal[\s\S]*> $/, { from: mark });
    mark = cli.mark();
    cli.type('half a li');
    await cli.waitFor('half a li', { from: mark });
    mark = cli.mark();
    await b.send('are you there?');
    // the incoming line is printed, and the prompt comes back under it with the half line intact
    await cli.waitFor(new RegExp(`${bob.username}: are you there\\?\\n@${bob.username}> half a li$`), { from: mark, timeoutMs: LIVE_MS });
    // ...over the typed text: the input line was cleared (ESC [0J) before the message was printed
    assert.match(cli.raw(), new RegExp(`\\x1b\\[0J\\d\\d:\\d\\d @${bob.username} \\[\\d+\\] ${bob.username}: are you there\\?`));
    cli.type('ne\r');
    await b.seeMessage('half a line', LIVE_MS);

    // /search names people and groups, and finds what was said
    mark = cli.mark();
    cli.type(`/search ${tag}\r`);
    const results = await cli.waitFor(/Messages[^\n]*\n?/, { from: mark });
    assert.match(results, new RegExp(`Groups matching "${tag}":\\n  #Crew ${tag}  \\(1 members, public\\)`));
    mark = cli.mark();
    cli.type(`/search ${bob.username}\r`);
    assert.match(await cli.waitFor(/Groups matching/, { from: mark }), new RegExp(`People matching "${bob.username}":\\n  . ${bob.username} \\(Bob Browser\\)`));
    mark = cli.mark();
    cli.type('/search half\r');
    await cli.waitFor(/Messages matching "half":\n {2}[^\n]*alice[^\n]*: half a line/, { from: mark });

    // the api the client uses goes away; meanwhile bob writes and edits over the other api
    mark = cli.mark();
    await platform.stopCliApi();
    await cli.waitFor('connection lost', { from: mark });
    const direct = ((await bobApi('GET', '/conversations')) as { items: TConversation[] }).items.find((c) => c.kind === 'direct');
    assert.ok(direct);
    const history = (await bobApi('GET', `/conversations/${direct.id}/messages`)) as TMessagePage;
    const question = history.items.find((m: TMessage) => m.body === 'are you there?');
    assert.ok(question);
    await b.send('sent while you were away');
    await bobApi('PATCH', `/conversations/${direct.id}/messages/${question.id}`, { body: 'are you there? (edited while you were away)' });

    // back: the client reconnects by itself and shows what it missed, the edit included
    await platform.startCliApi();
    const caughtUp = await cli.waitFor(/Reconnected\./, { from: mark, timeoutMs: 30_000 });
    await cli.waitFor(`${bob.username}: sent while you were away`, { from: mark });
    await cli.waitFor(/edited: .*are you there\? \(edited while you were away\) \(edited\)/, { from: mark });
    assert.ok(caughtUp.includes('connection lost'));
    cli.type('back again\r');
    await b.seeMessage('back again', LIVE_MS);
    cli.type('/quit\r');
    assert.equal(await cli.exited, 0);
  });

  test('sign up, then groups: create, add with Tab, members, react, reply, #group completion, leave, join, help', async () => {
    const { browser, webUrl } = platform;
    const carol = person('Carol', 'Keys');
    const dave = person('Dave', 'Web');
    const group = `Review ${randomBytes(2).toString('hex')}`;
    await registered(webUrl, dave);
    const d = await ChatUi.open(await browser.newContext({ viewport: { width: 1200, height: 760 } }), `${webUrl}/login`);
    await d.logIn(dave);

    const cli = chatbox(carol.username);
    await cli.waitFor('Log in or sign up? [L/s]');
    cli.type('s\r');
    await cli.waitFor('Username: ');
    cli.type(`${carol.username}\r`);
    await cli.waitFor('Password (not shown): ');
    cli.type(`${carol.password}\r`);
    await cli.waitFor('Display name (Enter: same as username): ');
    cli.type(`${carol.displayName}\r`);
    await cli.waitFor(`Logged in as ${carol.username}.`);
    assert.ok(!cli.text().includes(carol.password));

    let mark = cli.mark();
    cli.type(`/create --public ${group}\r`);
    await cli.waitFor(`Created #${group} (public); /add people to it.`, { from: mark });
    await cli.waitFor(`#${group}> `, { from: mark });

    // /add completes the username with Tab; dave's browser gets the group live
    mark = cli.mark();
    cli.type(`/add ${dave.username.slice(0, -2)}\t`);
    await cli.waitFor(`/add ${dave.username} `, { from: mark });
    cli.type('\r');
    await cli.waitFor(`Added ${dave.username} to #${group}.`, { from: mark });
    await d.openConversation(group, LIVE_MS);

    mark = cli.mark();
    cli.type('/members\r');
    const members = await cli.waitFor(new RegExp(`${dave.username} \\(Dave Web\\)`), { from: mark });
    assert.match(members, new RegExp(`Members of #${group}:[\\s\\S]*${carol.username} \\(Carol Keys\\) owner`));

    cli.type('ship it?\r');
    await d.seeMessage('ship it?', LIVE_MS);
    mark = cli.mark();
    await d.send('yes, shipping');
    const answer = await cli.waitFor(new RegExp(`#${group} \\[(\\d+)\\] ${dave.username}: yes, shipping`), { from: mark, timeoutMs: LIVE_MS });
    const seq = /\[(\d+)\] [^:]+: yes, shipping/.exec(answer)?.[1];

    // react and reply by the number shown in brackets; both come back as live changes
    mark = cli.mark();
    cli.type(`/react ${seq} 👍\r`);
    await cli.waitFor(`#${group} [${seq}] reactions: [👍 1]`, { from: mark, timeoutMs: LIVE_MS });
    cli.type(`/reply ${seq} great, thanks\r`);
    await cli.waitFor(`${carol.username}: ↳[${seq}] great, thanks`, { from: mark, timeoutMs: LIVE_MS });

    mark = cli.mark();
    cli.type('/online\r');
    await cli.waitFor(new RegExp(`Online now:[\\s\\S]*● ${dave.username} \\(Dave Web\\)`), { from: mark });

    // #group completes with Tab (a name with a space), then text after it goes to that group
    mark = cli.mark();
    cli.type(`#${group.slice(0, 4)}\t`);
    await cli.waitFor(`#${group} `, { from: mark });
    cli.type('from anywhere\r');
    await d.seeMessage('from anywhere', LIVE_MS);

    mark = cli.mark();
    cli.type('/leave\r');
    await cli.waitFor(`You left #${group}.`, { from: mark });
    await cli.waitFor(/\n> $/, { from: mark });
    cli.type(`/join ${group}\r`);
    await cli.waitFor(new RegExp(`--- #${group}: the last \\d+ messages ---[\\s\\S]*from anywhere`), { from: mark });

    // someone new writes first: the line names the new direct conversation
    mark = cli.mark();
    await d.openDirectWith(carol.username);
    await d.send('psst, carol');
    await cli.waitFor(`@${dave.username} [1] ${dave.username}: psst, carol`, { from: mark, timeoutMs: LIVE_MS });

    mark = cli.mark();
    cli.type('/help\r');
    await cli.waitFor('Tab completes commands, @usernames and #groups.', { from: mark });

    // /logout ends the session and forgets it here
    cli.type('/logout\r');
    await cli.waitFor('Logged out; the session is forgotten on this computer.', { from: mark });
    assert.equal(await cli.exited, 0);
    assert.ok(!existsSync(path.join(platform.configRoot, carol.username, 'chatbox', 'session.json')));
  });
  test('/anon asks without a name where the group takes anonymous questions, and says why where it does not', async () => {
    const { browser, webUrl } = platform;
    const erin = person('Erin', 'Student');
    const frank = person('Frank', 'Teacher');
    const tag = randomBytes(2).toString('hex');
    const erinId = (await registered(webUrl, erin)).id;
    const frankApi = (await registered(webUrl, frank)).api;
    const open = `Questions ${tag}`;
    const closed = `Notes ${tag}`;
    await frankApi('POST', '/groups', { name: open, memberIds: [erinId], anonymousQuestions: true });
    const closedGroup = (await frankApi('POST', '/groups', { name: closed, memberIds: [erinId] })) as TConversation;
    const f = await ChatUi.open(await browser.newContext({ viewport: { width: 1200, height: 760 } }), `${webUrl}/login`);
    await f.logIn(frank);
    await f.openConversation(open, LIVE_MS);

    const cli = chatbox(erin.username);
    await cli.waitFor('Log in or sign up? [L/s]');
    cli.type('l\r');
    await cli.waitFor('Username: ');
    cli.type(`${erin.username}\r`);
    await cli.waitFor('Password (not shown): ');
    cli.type(`${erin.password}\r`);
    await cli.waitFor(`Logged in as ${erin.username}.`);
    await cli.waitFor(`#${open}`);

    let mark = cli.mark();
    cli.type('/help\r');
    await cli.waitFor(/\/anon \[#group\] text +ask without your name/, { from: mark });

    // Tab completes the command and the group; the teacher's browser shows "Anonymous"
    mark = cli.mark();
    cli.type('/an\t');
    await cli.waitFor('/anon ', { from: mark });
    cli.type(`#${open.slice(0, 5)}\t`);
    await cli.waitFor(`/anon #${open} `, { from: mark });
    cli.type('is the exam open book?\r');
    await cli.waitFor(/anonymous: is the exam open book\?/, { from: mark, timeoutMs: LIVE_MS });
    await f.seeMessage('is the exam open book?', LIVE_MS);
    await f.page.getByText('Anonymous', { exact: true }).first().waitFor();
    const history = (await frankApi('GET', `/conversations?limit=100`)) as { items: TConversation[] };
    const group = history.items.find((c) => c.name === open) as TConversation;
    const page = (await frankApi('GET', `/conversations/${group.id}/messages`)) as TMessagePage;
    assert.deepEqual(page.items.map((m: TMessage) => [m.anonymous, m.sender.id]), [[true, 'anonymous']]);

    // a group without them: the client says so, nothing is sent
    mark = cli.mark();
    cli.type(`/anon #${closed} secret\r`);
    await cli.waitFor(`#${closed} does not take anonymous questions (its owner may turn them on).`, { from: mark });
    const none = (await frankApi('GET', `/conversations/${closedGroup.id}/messages`)) as TMessagePage;
    assert.deepEqual(none.items, []);
    cli.type('/quit\r');
    assert.equal(await cli.exited, 0);
  });
});
