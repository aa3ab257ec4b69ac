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
    return {user, call, close: () => context.close()};
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
];
