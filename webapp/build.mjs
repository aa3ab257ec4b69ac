// Builds dist/main.js (the plugin bundle, host globals as externals) and dist/devhost.js (the dev host page).
import {build} from 'esbuild';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const manifestPath = join(here, '..', 'plugin.json');
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
const pluginId = manifest.id ?? 'org.incidentcollab.incidents';
const pluginVersion = manifest.version ?? '0.0.0-dev';

// The Mattermost webapp provides these on window before a plugin bundle runs.
const hostGlobals = {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
    'react-intl': 'ReactIntl',
};

const hostGlobalsPlugin = {
    name: 'host-globals',
    setup(b) {
        const filter = new RegExp(`^(${Object.keys(hostGlobals).join('|')})$`);
        b.onResolve({filter}, (args) => ({path: args.path, namespace: 'host-global'}));
        b.onLoad({filter: /.*/, namespace: 'host-global'}, (args) => ({
            contents: `module.exports = window.${hostGlobals[args.path]};`,
            loader: 'js',
        }));
    },
};

const production = process.env.NODE_ENV !== 'development';
const common = {
    bundle: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'transform',
    minify: production,
    sourcemap: production ? false : 'inline',
    legalComments: 'none',
    logLevel: 'warning',
    define: {
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
        __PLUGIN_ID__: JSON.stringify(pluginId),
        __PLUGIN_VERSION__: JSON.stringify(pluginVersion),
    },
};

await Promise.all([
    build({...common, entryPoints: [join(here, 'src/index.tsx')], outfile: join(here, 'dist/main.js'), plugins: [hostGlobalsPlugin]}),
    build({...common, entryPoints: [join(here, 'devhost/index.tsx')], outfile: join(here, 'dist/devhost.js')}),
]);

for (const file of ['main.js', 'devhost.js']) {
    const bytes = readFileSync(join(here, 'dist', file));
    console.log(`dist/${file}: ${bytes.length} bytes, ${gzipSync(bytes).length} gzipped`);
}
console.log(`plugin id ${pluginId}, version ${pluginVersion}`);
