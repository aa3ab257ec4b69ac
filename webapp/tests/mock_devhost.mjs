// Throwaway in-memory stand-in for the Rust dev host, for manual checks of the page only (never a test target): node tests/mock_devhost.mjs [port]
import {createServer} from 'node:http';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const id = (n) => n.padEnd(26, '0');
const users = [{id: id('alice'), username: 'alice', first_name: 'Alice', last_name: '', nickname: '', roles: 'system_user'},
    {id: id('bob'), username: 'bob', first_name: 'Bob', last_name: '', nickname: '', roles: 'system_user'}];
const team = {id: id('team'), name: 'dev', display_name: 'Dev team'};
const channels = [{id: id('town'), team_id: team.id, name: 'town-square', display_name: 'Town Square', type: 'O', header: 'Welcome', purpose: '', delete_at: 0},
    {id: id('offtopic'), team_id: team.id, name: 'off-topic', display_name: 'Off-Topic', type: 'O', header: '', purpose: '', delete_at: 0}];
const posts = {};
const sockets = new Set();
let seq = 0;

const frame = (text) => {
    const body = Buffer.from(text);
    const len = body.length;
    const head = len < 126 ? Buffer.from([0x81, len]) : len < 65536 ? Buffer.from([0x81, 126, len >> 8, len & 255]) : null;
    return Buffer.concat([head, body]);
};
const push = (event, data) => {
    const msg = frame(JSON.stringify({event, data, broadcast: {}, seq: ++seq}));
    for (const s of sockets) {
        s.write(msg);
    }
};
const newPost = (channelId, message, extra = {}) => ({id: id(`p${Date.now()}${Math.random()}`.replace(/\W/g, '').slice(0, 20)),
    create_at: Date.now(), update_at: Date.now(), user_id: users[0].id, channel_id: channelId, root_id: '', message, type: '', props: {}, ...extra});

const routes = {
    'GET /': (req, res) => send(res, 200, '<!doctype html><html><head><script>window.basename=""</script></head><body><script src="/static/devhost.js"></script></body></html>', 'text/html'),
    'GET /static/devhost.js': (req, res) => send(res, 200, readFileSync(join(dist, 'devhost.js')), 'text/javascript'),
    'GET /static/plugins/org.incidentcollab.incidents/main.js': (req, res) => send(res, 200, readFileSync(join(dist, 'main.js')), 'text/javascript'),
    'GET /dev/api/state': (req, res) => json(res, {plugin: {id: 'org.incidentcollab.incidents', version: '0.1.0', state: 'active', message: '', nodes: 1}, users, teams: [team], me: users[0]}),
    'GET /api/v4/plugins/webapp': (req, res) => json(res, [{id: 'org.incidentcollab.incidents', version: '0.1.0', webapp: {bundle_path: '/static/plugins/org.incidentcollab.incidents/main.js'}}]),
    'GET /api/v4/users/me/teams': (req, res) => json(res, [team]),
    [`GET /api/v4/users/me/teams/${team.id}/channels`]: (req, res) => json(res, channels.slice(0, 1)),
    [`GET /api/v4/teams/${team.id}/channels`]: (req, res) => json(res, channels),
    [`GET /api/v4/teams/${team.id}/commands/autocomplete`]: (req, res) => json(res, [{trigger: 'incident', auto_complete_desc: 'Incidents', auto_complete_hint: '[command]', display_name: 'Incident'}]),
    'GET /plugins/org.incidentcollab.incidents/api/v0/health': (req, res) => json(res, {status: 'ok'}),
    'POST /api/v4/posts': async (req, res) => {
        const body = await readJson(req);
        const post = newPost(body.channel_id, body.message, {props: body.message.includes('attach') ? {attachments: [{title: 'Pick', text: 'Choose *one*', actions: [{id: 'ok', name: 'OK', type: 'button'}, {id: 'sel', name: 'Severity', type: 'select', options: [{text: 'High', value: 'high'}]}]}]} : {}});
        posts[post.id] = post;
        push('posted', {post: JSON.stringify(post), channel_id: post.channel_id});
        json(res, post);
    },
    'POST /api/v4/commands/execute': async (req, res) => {
        const body = await readJson(req);
        if (req.headers['x-csrf-token'] !== 'csrf-mock') {
            return json(res, {id: 'csrf', message: 'missing CSRF', status_code: 401}, 401);
        }
        if (body.command.startsWith('/incident start')) {
            push('open_dialog', {dialog: JSON.stringify({trigger_id: 't', url: '/x', dialog: {callback_id: 'start', title: 'Start incident', submit_label: 'Start',
                elements: [{display_name: 'Name', name: 'name', type: 'text', subtype: '', placeholder: 'Incident name', help_text: 'Short name', optional: false},
                    {display_name: 'Private', name: 'private', type: 'bool', optional: true}]}})});
            return json(res, {});
        }
        push('ephemeral_message', {post: JSON.stringify(newPost(body.channel_id, `**Usage**: \`/incident start|end|help\` — you typed \`${body.command}\``))});
        json(res, {response_type: 'ephemeral', text: 'help'});
    },
    'POST /api/v4/actions/dialogs/submit': async (req, res) => {
        const body = await readJson(req);
        if (!body.submission.name) {
            return json(res, {error: 'Please fix the errors', errors: {name: 'A name is required'}}, 400);
        }
        push('custom_org.incidentcollab.incidents_incident_updated', {id: 'i1'});
        json(res, {});
    },
};

function send(res, status, body, type) {
    res.writeHead(status, {'Content-Type': type, 'Set-Cookie': [`MMUSERID=${users[0].id}; Path=/`, 'MMCSRF=csrf-mock; Path=/']});
    res.end(body);
}
const json = (res, body, status = 200) => send(res, status, JSON.stringify(body), 'application/json');
const readJson = (req) => new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data ? JSON.parse(data) : {}));
});

const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    const postsMatch = /^\/api\/v4\/channels\/([^/]+)\/posts$/.exec(path);
    if (req.method === 'GET' && postsMatch) {
        const list = Object.values(posts).filter((p) => p.channel_id === postsMatch[1]).sort((a, b) => b.create_at - a.create_at);
        return json(res, {order: list.map((p) => p.id), posts: Object.fromEntries(list.map((p) => [p.id, p]))});
    }
    const actionMatch = /^\/api\/v4\/posts\/([^/]+)\/actions\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && actionMatch) {
        return json(res, {ephemeral_text: `You clicked ${actionMatch[2]}`});
    }
    const route = routes[`${req.method} ${path}`];
    if (route) {
        return route(req, res);
    }
    json(res, {id: 'not_found', message: `no route ${req.method} ${path}`, status_code: 404}, 404);
});
server.on('upgrade', (req, socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    socket.write(frame(JSON.stringify({event: 'hello', data: {}, broadcast: {}, seq: 0})));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
});
const port = Number(process.argv[2] ?? 8077);
server.listen(port, '127.0.0.1', () => console.log(`mock dev host on http://127.0.0.1:${port}`));
