// The dev host's WebSocket client for /api/v4/websocket: JSON messages to listeners, reconnect with backoff, reconnect callback.
import type {WebSocketMessage} from '../src/types';

type Listener = (msg: WebSocketMessage) => void;

export class DevSocket {
    private socket?: WebSocket;
    private readonly listeners = new Set<Listener>();
    private opened = false;
    private retryMs = 500;
    private closed = false;

    constructor(
        private readonly url: string,
        private readonly onStatus: (connected: boolean) => void,
        private readonly onReconnect: () => void,
    ) {}

    /** The surface passed to plugin components as `webSocketClient`. */
    addMessageListener(listener: Listener): void {
        this.listeners.add(listener);
    }

    removeMessageListener(listener: Listener): void {
        this.listeners.delete(listener);
    }

    connect(): void {
        const socket = new WebSocket(this.url);
        this.socket = socket;
        socket.onopen = () => {
            this.retryMs = 500;
            this.onStatus(true);
            if (this.opened) {
                this.onReconnect();
            }
            this.opened = true;
        };
        socket.onmessage = (ev: MessageEvent<string>) => {
            let msg: WebSocketMessage;
            try {
                msg = JSON.parse(ev.data) as WebSocketMessage;
            } catch {
                console.warn('[devhost] ignoring non-JSON WebSocket frame');
                return;
            }
            if (typeof msg.event !== 'string') {
                return;
            }
            for (const listener of this.listeners) {
                listener(msg);
            }
        };
        socket.onclose = () => {
            this.onStatus(false);
            if (!this.closed) {
                window.setTimeout(() => this.connect(), this.retryMs);
                this.retryMs = Math.min(this.retryMs * 2, 10000);
            }
        };
    }

    close(): void {
        this.closed = true;
        this.socket?.close();
    }
}

export const socketUrl = (): string =>
    `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${window.basename ?? ''}/api/v4/websocket`;
