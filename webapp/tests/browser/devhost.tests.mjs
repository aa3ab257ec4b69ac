// The browser scenarios run by run.mjs: each opens the dev host page and drives it through data-testid selectors.
const PLUGIN_ID = 'org.incidentcollab.incidents';

/** Opens the page and waits until a channel is selected and the plugin bundle has initialized. */
async function openPage(page, baseUrl) {
    await page.goto(baseUrl);
    await page.locator('[data-testid="message-box"]:not([disabled])').waitFor();
    await page.locator(`[data-testid="plugin-status"][data-bundle="loaded"]`).waitFor();
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
];
