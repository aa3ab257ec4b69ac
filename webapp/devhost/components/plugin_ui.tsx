// Helpers for rendering plugin-supplied things: the host context, string/element/component resolution and an error boundary.
import React, {Component, createContext, isValidElement, useContext, type ComponentType, type ErrorInfo, type ReactNode} from 'react';
import type {Renderable} from '../../src/types';
import type {Theme} from '../theme';
import type {DevSocket} from '../websocket';

export type HostContextValue = {theme: Theme; webSocketClient: DevSocket};
export const HostContext = createContext<HostContextValue | null>(null);

export function useHost(): HostContextValue {
    const value = useContext(HostContext);
    if (!value) {
        throw new Error('HostContext missing');
    }
    return value;
}

/** Like Mattermost's resolveReactElement: strings and elements as they are, component types instantiated. */
export function Resolve({value}: {value: Renderable}) {
    if (typeof value === 'function') {
        const Comp = value as ComponentType;
        return <Comp/>;
    }
    if (typeof value === 'string' || isValidElement(value)) {
        return <>{value}</>;
    }
    return value ? <>{value as ReactNode}</> : null;
}

type BoundaryProps = {pluginId: string; children: ReactNode};

export class PluginErrorBoundary extends Component<BoundaryProps, {error: string}> {
    override state = {error: ''};

    static getDerivedStateFromError(error: unknown) {
        return {error: error instanceof Error ? error.message : String(error)};
    }

    override componentDidCatch(error: unknown, info: ErrorInfo) {
        console.error(`[devhost] plugin ${this.props.pluginId} crashed while rendering`, error, info.componentStack);
    }

    override render() {
        if (this.state.error) {
            return <div role='alert' className='dh-error' data-testid='plugin-render-error'>{`${this.props.pluginId}: ${this.state.error}`}</div>;
        }
        return this.props.children;
    }
}

/** Renders a plugin component with the props every Mattermost pluggable slot passes (`theme`, `webSocketClient`). */
export function Pluggable({pluginId, component: Comp}: {pluginId: string; component: ComponentType<Partial<HostContextValue>>}) {
    const host = useHost();
    return (
        <PluginErrorBoundary pluginId={pluginId}>
            <Comp theme={host.theme} webSocketClient={host.webSocketClient}/>
        </PluginErrorBoundary>
    );
}
