// The browser scenarios run by run.mjs: each opens the dev host page and drives it through data-testid selectors.
const PLUGIN_ID = 'org.incidentcollab.incidents';

/** Opens the page and waits until a channel is selected and the plugin bundle has initialized. */
async function openPage(page, baseUrl) {
    await page.goto(baseUrl);
    await page.locator('[data-testid="message-box"]:not([disabled])').waitFor();
    await page.locator(`[data-testid="plugin-status"][data-bundle="loaded"]`).waitFor();
}

const API = `/plugins/${PLUGIN_ID}/api/v0`;
const XHR = {'X-Requested-With': 'XMLHttpRequest'};

/** A second signed-in user in its own browser context (own cookies), for acting over the page's REST API. */
async function otherUser(page, pageUrl, username) {
    const baseUrl = pageUrl.replace(/\/+$/, '');
    const users = await page.evaluate(async (xhr) => (await fetch('/api/v4/users', {headers: xhr, credentials: 'include'})).json(), XHR);
    const user = users.find((u) => u.username === username);
    if (!user) {
        throw new Error(`no user ${username}`);
    }
    const context = await page.context().browser().newContext();
    const signIn = await context.request.post(`${baseUrl}/dev/api/switch-user`, {headers: XHR, data: {user_id: user.id}});
    if (!signIn.ok()) {
        throw new Error(`switching to ${username}: ${signIn.status()} ${await signIn.text()}`);
    }
    const call = async (method, path, data) => {
        const r = await context.request.fetch(`${baseUrl}${path}`, {method, headers: XHR, data});
        if (!r.ok()) {
            throw new Error(`${username} ${method} ${path}: ${r.status()} ${await r.text()}`);
        }
        const text = await r.text();
        return text ? JSON.parse(text) : undefined;
    };
    /** The status and parsed body of a request, whatever the status. */
    const fetch = async (method, path, data) => {
        const r = await context.request.fetch(`${baseUrl}${path}`, {method, headers: XHR, data});
        const text = await r.text();
        return {status: r.status(), body: text ? JSON.parse(text) : undefined};
    };
    return {user, call, fetch, context, close: () => context.close()};
}

/** Makes `username` the user of the main page (its cookies, shared with the page's context). */
async function switchUser(page, baseUrl, username) {
    const users = await page.evaluate(async (xhr) => (await fetch('/api/v4/users', {headers: xhr, credentials: 'include'})).json(), XHR);
    const user = users.find((u) => u.username === username);
    const r = await page.request.post(`${baseUrl.replace(/\/+$/, '')}/dev/api/switch-user`, {headers: XHR, data: {user_id: user.id}});
    if (!r.ok()) {
        throw new Error(`switching the page to ${username}: ${r.status()}`);
    }
}

/** The dev host page showing the Mattermost path `route` (the dev host serves its page at `/` only: `?route=`). */
const routeUrl = (baseUrl, route) => `${baseUrl.replace(/\/+$/, '')}/?route=${encodeURIComponent(route)}`;

/**
 * Turns private incidents on as a system admin would in the System Console (the dev host's stand-in saves the
 * setting and sends OnConfigurationChange to every node), then alice starts a private incident over REST:
 * `{team, incident, name}`.
 */
async function alicesPrivateIncident(page, baseUrl, alice, label) {
    const admin = await otherUser(page, baseUrl, 'admin');
    try {
        await admin.call('POST', '/dev/api/plugin-settings', {settings: {EnablePrivateIncidents: true}});
    } finally {
        await admin.close();
    }
    const teams = await alice.call('GET', '/api/v4/users/me/teams');
    const team = teams.find((t) => t.name === 'dev') ?? teams[0];
    const settings = await alice.call('GET', `${API}/settings?team_id=${team.id}`);
    if (!settings.private_incidents) {
        throw new Error(`private incidents are still off after the settings were saved: ${JSON.stringify(settings)}`);
    }
    const name = `${label} ${Date.now() % 100000}`;
    const incident = await alice.call('POST', `${API}/incidents`, {name, team_id: team.id, visibility: 'private'});
    return {team, incident, name};
}

/** The team `dev` (or the user's first) of a signed-in `otherUser`. */
async function devTeam(user) {
    const teams = await user.call('GET', '/api/v4/users/me/teams');
    return teams.find((t) => t.name === 'dev') ?? teams[0];
}

/** The names shown by the incident list page, in order. */
const listedNames = (view) => view.getByTestId('incident-list').getByTestId('incident-item-name').allTextContents();

/** Waits until the incident list shows exactly `names` (the list refetches after each change). */
async function waitForListed(view, names, timeoutMs = 10000) {
    const until = Date.now() + timeoutMs;
    let got = [];
    while (Date.now() < until) {
        got = await view.getByTestId('incident-list').count() ? await listedNames(view) : [];
        if (JSON.stringify(got) === JSON.stringify(names)) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the list shows ${JSON.stringify(got)}, expected ${JSON.stringify(names)}`);
}

export const tests = [
    {
        name: 'slash command gets an ephemeral reply',
        async run(page, baseUrl) {
            await openPage(page, baseUrl);
            const box = page.getByTestId('message-box');
            await box.fill('/incident help');
            await box.press('Enter');
            await page.locator('[data-testid="ephemeral"]', {hasText: '/incident'}).first().waitFor();
            const text = await page.locator('[data-testid="ephemeral"]', {hasText: '/incident'}).first().textContent();
            if (!text.includes('(only visible to you)')) {
                throw new Error(`ephemeral reply not marked as private: ${text}`);
            }
        },
    },
    {
        name: 'channel header button opens the incidents RHS',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            await page.locator(`[data-testid="channel-header-button"][data-plugin-id="${PLUGIN_ID}"]`).click();
            const rhs = page.locator(`[data-testid="rhs"][data-plugin-id="${PLUGIN_ID}"]`);
            await rhs.waitFor();
            await rhs.locator('[data-testid="incident-list"], [data-testid="incident-empty"], [data-testid="incident-error"]').first().waitFor();
            await shot('rhs-open');
            const error = rhs.getByTestId('incident-error');
            if (await error.count()) {
                throw new Error(`the RHS shows an error instead of the incidents: ${await error.first().textContent()}`);
            }
            await page.getByTestId('rhs-close').click();
            await rhs.waitFor({state: 'detached'});
        },
    },
    {
        name: 'incident lifecycle in the RHS, live across users',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const name = `Browser outage ${Date.now() % 100000}`;
            await page.locator(`[data-testid="channel-header-button"][data-plugin-id="${PLUGIN_ID}"]`).click();
            const rhs = page.locator(`[data-testid="rhs"][data-plugin-id="${PLUGIN_ID}"]`);
            await rhs.getByTestId('incident-empty').waitFor();

            // Start from the RHS: the button opens the start dialog.
            await rhs.getByTestId('incident-start').click();
            await page.getByTestId('dialog').waitFor();
            await page.getByTestId('dialog-field-name').fill(name);
            await page.getByTestId('dialog-submit').click();
            await page.getByTestId('dialog').waitFor({state: 'detached'});
            await page.locator('[data-testid="channel-link"]', {hasText: name}).click();
            const detail = rhs.getByTestId('incident-detail');
            await detail.waitFor();
            await detail.getByTestId('incident-name').filter({hasText: name}).waitFor();
            const incidentId = await detail.getAttribute('data-incident-id');

            // Add a task from the RHS.
            await detail.getByTestId('incident-add-task-input').first().fill('Check the replicas');
            await detail.getByTestId('incident-add-task-submit').first().click();
            const task = detail.locator('[data-testid="incident-task"]', {hasText: 'Check the replicas'});
            await task.waitFor();
            await shot('started');

            // bob joins the channel and checks the task over REST with his own cookies: the first RHS updates live.
            const bob = await otherUser(page, baseUrl, 'bob');
            try {
                // A public incident: bob (team member) reads it, joins its channel, then may change it.
                const {channel_id: channelId} = await bob.call('GET', `${API}/incidents/${incidentId}`);
                await bob.call('POST', `/api/v4/channels/${channelId}/members`, {user_id: bob.user.id});
                const now = await bob.call('GET', `${API}/incidents/${incidentId}`);
                const checklist = now.checklists.findIndex((c) => c.items.some((t) => t.title === 'Check the replicas'));
                const item = now.checklists[checklist].items.findIndex((t) => t.title === 'Check the replicas');
                await bob.call('POST', `${API}/incidents/${incidentId}/tasks/toggle`, {checklist, item, done: true});
            } finally {
                await bob.close();
            }
            await detail.locator('[data-testid="incident-task"][data-done="true"]', {hasText: 'Check the replicas'}).waitFor();
            if (!(await task.getByTestId('incident-task-checkbox').isChecked())) {
                throw new Error('the checkbox did not follow bob\'s change');
            }
            await shot('checked-by-bob');

            // Assign the task to bob with the task's picker of channel members.
            await task.getByTestId('incident-task-assign').click();
            await task.getByTestId('incident-task-assign-picker').selectOption({label: '@bob'});
            await task.getByTestId('incident-task-assign').filter({hasText: '@bob'}).waitFor();

            // Change the commander with the picker (bob is now a channel member).
            await detail.getByTestId('incident-commander-change').click();
            await detail.getByTestId('incident-commander-picker').selectOption({label: '@bob'});
            await detail.getByTestId('incident-commander').filter({hasText: '@bob'}).waitFor();

            // Post a status update through the update dialog; the RHS shows it from the delta.
            await detail.getByTestId('incident-update-status').click();
            await page.getByTestId('dialog').waitFor();
            await page.getByTestId('dialog-field-message').fill('Replicas are healthy again');
            await page.getByTestId('dialog-submit').click();
            await page.getByTestId('dialog').waitFor({state: 'detached'});
            await detail.getByTestId('incident-last-update').filter({hasText: 'Replicas are healthy again'}).waitFor();

            // End (with confirmation) and restart.
            await detail.getByTestId('incident-end').click();
            await detail.getByTestId('incident-confirm-yes').click();
            await detail.getByTestId('incident-status').filter({hasText: 'Ended'}).waitFor();
            await detail.getByTestId('incident-restart').click();
            await detail.getByTestId('incident-confirm-yes').click();
            await detail.getByTestId('incident-status').filter({hasText: 'Active'}).waitFor();

            // The timeline shows it all, filterable by type.
            await detail.getByTestId('incident-timeline-toggle').click();
            const timeline = detail.getByTestId('incident-timeline');
            await timeline.locator('[data-kind="incident_restarted"]').waitFor();
            await detail.getByTestId('incident-timeline-filter').selectOption('commander_changed');
            await timeline.locator('[data-testid="incident-timeline-event"]').first().waitFor();
            const kinds = await timeline.locator('[data-testid="incident-timeline-event"]').evaluateAll((els) => els.map((e) => e.dataset.kind));
            if (kinds.length !== 1 || kinds[0] !== 'commander_changed') {
                throw new Error(`filtered timeline: ${kinds}`);
            }
            const errors = await detail.getByTestId('incident-action-error').count();
            if (errors) {
                throw new Error(`an action failed: ${await detail.getByTestId('incident-action-error').textContent()}`);
            }
        },
    },
    {
        name: 'private incident page: placeholder, request access, allowed by a member, then readable',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const alice = await otherUser(page, baseUrl, 'alice');
            const alicePage = await alice.context.newPage();
            try {
                const {team, incident, name} = await alicesPrivateIncident(page, baseUrl, alice, 'Payroll leak');
                const route = `/${team.name}/${PLUGIN_ID}/incidents/${incident.id}`;

                // bob (same team, no access) opens the incident page: a placeholder that tells nothing about it.
                await switchUser(page, baseUrl, 'bob');
                await page.goto(routeUrl(baseUrl, route));
                const view = page.locator(`[data-testid="plugin-route"][data-plugin-id="${PLUGIN_ID}"]`);
                await view.getByTestId('incident-placeholder').waitFor();
                const shown = await view.textContent();
                for (const secret of [name, incident.reference, 'alice']) {
                    if (shown.includes(secret)) {
                        throw new Error(`the placeholder shows "${secret}": ${shown}`);
                    }
                }
                if (!shown.includes('This incident does not exist or is private.')) {
                    throw new Error(`placeholder text: ${shown}`);
                }
                await shot('placeholder');
                await view.getByTestId('incident-request-access').click();
                await view.getByTestId('incident-request-result').filter({hasText: 'members were asked'}).waitFor();

                // alice, in the incident channel, clicks Allow on the request.
                await alicePage.goto(baseUrl);
                await alicePage.locator('[data-testid="plugin-status"][data-bundle="loaded"]').waitFor();
                await alicePage.locator('[data-testid="channel-link"]', {hasText: name}).click();
                const request = alicePage.locator('[data-testid="post"]', {hasText: 'asks for access'});
                const allow = request.locator('[data-testid="attachment-button"][data-action-id="allowaccess"]');
                await allow.click();
                await allow.waitFor({state: 'detached'});
                await request.filter({hasText: 'allowed'}).waitFor();

                // bob reloads: the incident itself, readable.
                await page.reload();
                const overview = view.getByTestId('incident-overview');
                await overview.waitFor();
                await overview.getByTestId('incident-name').filter({hasText: name}).waitFor();
                await overview.getByTestId('incident-private-banner').waitFor();
                await shot('allowed');
            } finally {
                await alicePage.close();
                await alice.close();
                await switchUser(page, baseUrl, 'admin');
            }
        },
    },
    {
        name: 'private incident access panel: bob listed as member, revoked greyed out',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const alice = await otherUser(page, baseUrl, 'alice');
            const bob = await otherUser(page, baseUrl, 'bob');
            try {
                const {incident, name} = await alicesPrivateIncident(page, baseUrl, alice, 'Vendor breach');
                await alice.call('POST', `${API}/incidents/${incident.id}/access/grant`, {username: 'bob'});

                // alice opens the incident channel and the RHS: padlock, banner, and bob listed as a member.
                await switchUser(page, baseUrl, 'alice');
                await openPage(page, baseUrl);
                await page.locator('[data-testid="channel-link"]', {hasText: name}).click();
                await page.locator(`[data-testid="channel-header-button"][data-plugin-id="${PLUGIN_ID}"]`).click();
                const detail = page.locator(`[data-testid="rhs"][data-plugin-id="${PLUGIN_ID}"]`).getByTestId('incident-detail');
                await detail.getByTestId('incident-name').filter({hasText: name}).waitFor();
                await detail.getByTestId('incident-private').waitFor();
                await detail.getByTestId('incident-private-banner').waitFor();
                const bobRow = detail.locator('[data-testid="incident-access-person"][data-username="bob"]');
                await detail.locator('[data-testid="incident-access-person"][data-username="bob"][data-state="member"]').waitFor();
                await shot('bob-member');

                // Revoke: bob stays listed, greyed out, marked "revoked"; he can no longer read the incident.
                await bobRow.getByTestId('incident-access-revoke').click();
                await detail.locator('[data-testid="incident-access-person"][data-username="bob"][data-state="revoked"]').waitFor();
                const text = await bobRow.textContent();
                const opacity = Number(await bobRow.evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).opacity));
                if (!text.includes('revoked') || !(opacity < 1)) {
                    throw new Error(`bob's row after revoking: "${text}", opacity ${opacity}`);
                }
                if (await bobRow.getByTestId('incident-access-revoke').count()) {
                    throw new Error('a revoked person still has a Revoke button');
                }
                const asBob = await bob.fetch('GET', `${API}/incidents/${incident.id}`);
                if (asBob.status !== 404) {
                    throw new Error(`bob reads the incident after being revoked: ${asBob.status}`);
                }
                const errors = await detail.getByTestId('incident-access-error').count();
                if (errors) {
                    throw new Error(`the access panel shows an error: ${await detail.getByTestId('incident-access-error').textContent()}`);
                }
            } finally {
                await bob.close();
                await alice.close();
                await switchUser(page, baseUrl, 'admin');
            }
        },
    },
    {
        name: 'main menu opens the incident page of the team',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            await page.getByTestId('main-menu-button').click();
            await page.locator(`[data-testid="main-menu-item"][data-plugin-id="${PLUGIN_ID}"]`).click();
            const view = page.locator(`[data-testid="plugin-route"][data-plugin-id="${PLUGIN_ID}"]`);
            await view.getByTestId('incident-team-list').waitFor();
            if (!new URL(page.url()).searchParams.get('route')?.endsWith(`/${PLUGIN_ID}/incidents`)) {
                throw new Error(`the page URL does not carry the route: ${page.url()}`);
            }
            await view.locator('[data-testid="incident-list"], [data-testid="incident-empty"]').first().waitFor();
            await shot('team-list');
            // Back to a channel: the channel view returns.
            await page.getByTestId('channel-link').first().click();
            await page.locator('[data-testid="message-box"]:not([disabled])').waitFor();
        },
    },
    {
        name: 'incident list page: search, status filter and paging from the server',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const alice = await otherUser(page, baseUrl, 'alice');
            try {
                // Three incidents over REST with a common prefix; the second one ended.
                const team = await devTeam(alice);
                const prefix = `Listing ${Date.now() % 100000}`;
                const names = ['Alpha', 'Bravo', 'Charlie'].map((n) => `${prefix} ${n}`);
                const started = [];
                for (const name of names) {
                    started.push(await alice.call('POST', `${API}/incidents`, {name, team_id: team.id}));
                }
                await alice.call('POST', `${API}/incidents/${started[1].id}/end`, {confirm: true});

                // The list page, two per page, searching for the prefix (the search lives in the URL).
                await page.goto(routeUrl(baseUrl, `/${team.name}/${PLUGIN_ID}/incidents?q=${encodeURIComponent(prefix)}&per_page=2`));
                const view = page.locator(`[data-testid="plugin-route"][data-plugin-id="${PLUGIN_ID}"]`);
                await view.getByTestId('incident-stats').waitFor();
                await waitForListed(view, [names[2], names[1]]);
                await view.getByTestId('pager-range').filter({hasText: '1–2 of 3'}).waitFor();
                await shot('page-1');
                await view.getByTestId('pager-next').click();
                await waitForListed(view, [names[0]]);
                await view.getByTestId('pager-range').filter({hasText: '3–3 of 3'}).waitFor();
                if (!(await view.getByTestId('pager-next').isDisabled())) {
                    throw new Error('"Next" is enabled on the last page');
                }
                if (!new URL(page.url()).searchParams.get('route')?.includes('page=1')) {
                    throw new Error(`the page is not in the URL: ${page.url()}`);
                }
                await view.getByTestId('pager-prev').click();
                await waitForListed(view, [names[2], names[1]]);

                // Search for one by its whole name.
                await view.getByTestId('incident-search').fill(names[0]);
                await waitForListed(view, [names[0]]);
                await view.getByTestId('pager-range').filter({hasText: '1–1 of 1'}).waitFor();

                // Back to the prefix: ended vs active.
                await view.getByTestId('incident-search').fill(prefix);
                await waitForListed(view, [names[2], names[1]]);
                await view.getByTestId('incident-filter-status').selectOption('ended');
                await waitForListed(view, [names[1]]);
                await view.getByTestId('incident-filter-status').selectOption('active');
                await waitForListed(view, [names[2], names[0]]);
                await view.getByTestId('pager-range').filter({hasText: '1–2 of 2'}).waitFor();
                await shot('active');

                // A row opens the incident's page.
                await view.getByRole('button', {name: `Open ${names[0]}`}).click();
                await view.locator(`[data-testid="incident-overview"][data-incident-id="${started[0].id}"]`).waitFor();
            } finally {
                await alice.close();
            }
        },
    },
    {
        name: 'playbook editor: two tasks with a description and an assignee, save, reload, then an incident shows them',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const admin = await otherUser(page, baseUrl, 'admin');
            try {
                const team = await devTeam(admin);
                const title = `Browser playbook ${Date.now() % 100000}`;
                await page.goto(routeUrl(baseUrl, `/${team.name}/${PLUGIN_ID}/incidents/playbooks`));
                const view = page.locator(`[data-testid="plugin-route"][data-plugin-id="${PLUGIN_ID}"]`);
                await view.getByTestId('playbook-new-title').fill(title);
                await view.getByTestId('playbook-create').click();

                // The editor of the new playbook.
                const editor = view.getByTestId('playbook-editor');
                await editor.waitFor();
                const id = await editor.getAttribute('data-playbook-id');
                await editor.getByTestId('playbook-add-checklist-input').fill('Triage');
                await editor.getByTestId('playbook-add-checklist-input').press('Enter');
                const checklist = editor.getByTestId('playbook-checklist');
                await checklist.waitFor();
                for (const task of ['Page the DBA', 'Fail over']) {
                    await checklist.getByTestId('playbook-add-task-input').fill(task);
                    await checklist.getByTestId('playbook-add-task').click();
                }
                await checklist.getByTestId('playbook-task-command').nth(1).fill('/incident info');
                const failOver = checklist.getByTestId('playbook-task').nth(1);
                await failOver.getByTestId('playbook-task-description').fill('Promote the **replica**');
                await failOver.getByTestId('playbook-task-assignees').getByTestId('picker-add').selectOption({label: '@bob'});
                await failOver.getByTestId('playbook-task-assignees').getByTestId('picker-chip').filter({hasText: '@bob'}).waitFor();
                await editor.getByTestId('playbook-reminder').fill('15');
                await editor.getByTestId('playbook-save').click();
                await editor.getByTestId('playbook-saved').waitFor();
                const errors = await editor.getByTestId('playbook-save-error').count();
                if (errors) {
                    throw new Error(`saving failed: ${await editor.getByTestId('playbook-save-error').textContent()}`);
                }
                await shot('saved');

                // After a reload the editor reads it back from the server.
                await page.reload();
                const again = view.locator(`[data-testid="playbook-editor"][data-playbook-id="${id}"]`);
                await again.waitFor();
                const titles = await again.getByTestId('playbook-task-title').evaluateAll((els) => els.map((e) => e.value));
                const lists = await again.getByTestId('playbook-checklist-title').evaluateAll((els) => els.map((e) => e.value));
                const command = await again.getByTestId('playbook-task-command').nth(1).inputValue();
                const description = await again.getByTestId('playbook-task-description').nth(1).inputValue();
                const chips = await again.getByTestId('playbook-task').nth(1).getByTestId('picker-chip').allTextContents();
                const got = JSON.stringify([lists, titles, command, description, chips]);
                if (got !== JSON.stringify([['Triage'], ['Page the DBA', 'Fail over'], '/incident info', 'Promote the **replica**', ['@bob']])) {
                    throw new Error(`after a reload: ${got}`);
                }
                if (await again.getByTestId('playbook-title').inputValue() !== title) {
                    throw new Error('the title did not come back');
                }
                const stored = await admin.call('GET', `${API}/playbooks/${id}`);
                if (stored.reminder_ms !== 15 * 60000 || stored.checklists[0].items.length !== 2) {
                    throw new Error(`stored: ${JSON.stringify(stored)}`);
                }

                // The playbooks tab lists it.
                await page.goto(routeUrl(baseUrl, `/${team.name}/${PLUGIN_ID}/incidents/playbooks`));
                await view.locator(`[data-testid="playbook-item"][data-playbook-id="${id}"]`, {hasText: '1 checklist · 2 tasks'}).waitFor();

                // An incident started from it shows the task's description (Markdown rendered by the host), its
                // command and its assignee in the RHS.
                const name = `From playbook ${Date.now() % 100000}`;
                await admin.call('POST', `${API}/incidents`, {name, team_id: team.id, playbook_id: id});
                await page.goto(baseUrl);
                await page.locator('[data-testid="channel-link"]', {hasText: name}).click();
                await page.locator(`[data-testid="channel-header-button"][data-plugin-id="${PLUGIN_ID}"]`).click();
                const detail = page.locator(`[data-testid="rhs"][data-plugin-id="${PLUGIN_ID}"]`).getByTestId('incident-detail');
                const failing = detail.locator('[data-testid="incident-task"]', {hasText: 'Fail over'});
                await failing.getByTestId('incident-task-description').locator('strong', {hasText: 'replica'}).waitFor();
                await failing.getByTestId('incident-task-command').filter({hasText: '/incident info'}).waitFor();
                await failing.getByTestId('incident-task-assign').filter({hasText: '@bob'}).waitFor();
                await shot('incident-from-playbook');
                // "Run" runs the task's command in the incident channel: /incident info answers there.
                await failing.getByTestId('incident-task-run').click();
                await page.locator('[data-testid="ephemeral"]', {hasText: name}).filter({hasText: 'Commander'}).first().waitFor();
                await detail.filter({hasText: 'Ran /incident info.'}).waitFor();
            } finally {
                await admin.close();
            }
        },
    },
    {
        name: 'post menu adds a message from town-square to an incident timeline',
        async run(page, baseUrl, shot) {
            await openPage(page, baseUrl);
            const admin = await otherUser(page, baseUrl, 'admin');
            try {
                const team = await devTeam(admin);
                const name = `Timeline target ${Date.now() % 100000}`;
                const incident = await admin.call('POST', `${API}/incidents`, {name, team_id: team.id});

                // A message in town-square, then its menu: "Add to incident timeline".
                await page.locator('[data-testid="channel-link"][data-channel-name="town-square"]').click();
                const text = `Saw errors in the load balancer ${Date.now() % 100000}`;
                await page.getByTestId('message-box').fill(text);
                await page.getByTestId('message-box').press('Enter');
                const post = page.locator('[data-testid="post"]', {hasText: text});
                await post.waitFor();
                const postId = await post.getAttribute('data-post-id');
                await post.getByTestId('post-menu-button').click();
                await post.locator(`[data-testid="post-menu-item"][data-plugin-id="${PLUGIN_ID}"]`, {hasText: 'Add to incident timeline'}).click();

                const modal = page.getByTestId('timeline-add-modal');
                await modal.waitFor();
                await modal.getByTestId('timeline-add-select').selectOption(incident.id);
                await shot('modal');
                await modal.getByTestId('timeline-add-submit').click();
                await modal.locator('[data-testid="timeline-add-result"], [data-testid="timeline-add-error"]').first().waitFor();
                if (await modal.getByTestId('timeline-add-error').count()) {
                    throw new Error(`adding failed: ${await modal.getByTestId('timeline-add-error').textContent()}`);
                }
                await modal.getByTestId('timeline-add-cancel').click();
                await modal.waitFor({state: 'detached'});

                // The incident's timeline has it.
                const timeline = await admin.call('GET', `${API}/incidents/${incident.id}/timeline`);
                const added = timeline.filter((e) => e.kind === 'post_added');
                if (added.length !== 1 || !added[0].summary.includes('load balancer')) {
                    throw new Error(`timeline of ${incident.id} after adding post ${postId}: ${JSON.stringify(timeline)}`);
                }
                // And the RHS shows it in the incident channel.
                await page.locator('[data-testid="channel-link"]', {hasText: name}).click();
                await page.locator(`[data-testid="channel-header-button"][data-plugin-id="${PLUGIN_ID}"]`).click();
                const detail = page.locator(`[data-testid="rhs"][data-plugin-id="${PLUGIN_ID}"]`).getByTestId('incident-detail');
                await detail.getByTestId('incident-name').filter({hasText: name}).waitFor();
                await detail.getByTestId('incident-timeline-toggle').click();
                await detail.locator('[data-testid="incident-timeline-event"][data-kind="post_added"]').waitFor();
            } finally {
                await admin.close();
            }
        },
    },
];
