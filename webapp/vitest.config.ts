// Vitest config: jsdom unit tests for the plugin bundle and the dev host page (browser tests live elsewhere).
import {defineConfig} from 'vitest/config';

export default defineConfig({
    define: {
        __PLUGIN_ID__: JSON.stringify('org.incidentcollab.incidents'),
        __PLUGIN_VERSION__: JSON.stringify('0.0.0-test'),
    },
    test: {
        environment: 'jsdom',
        include: ['src/**/*.test.{ts,tsx}', 'devhost/**/*.test.{ts,tsx}'],
        setupFiles: ['tests/setup.ts'],
        // The first test of a file that imports the whole bundle takes seconds on a busy 2-core CI machine; a timeout
        // is a backstop against hangs, not a speed check.
        testTimeout: 30000,
    },
});
