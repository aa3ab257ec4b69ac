// Keeps keyboard focus inside a modal while it is open: Tab on the last control wraps to the first, Shift+Tab on the
// first wraps to the last, and when the modal closes focus goes back to what had it before (the post menu's button).
import {useLayoutEffect, type KeyboardEvent, type RefObject} from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The controls of `root` that Tab can reach, in document order. */
function focusables(root: HTMLElement): HTMLElement[] {
    return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.hidden && el.tabIndex >= 0);
}

/**
 * Wraps Tab and Shift+Tab inside `ref`'s element; returns the `onKeyDown` handler to put on it. The element that had
 * focus when the modal opened gets it back when the modal unmounts.
 */
export function useFocusTrap(ref: RefObject<HTMLElement | null>) {
    // A layout effect, declared before the modal's own initial-focus effect, so it sees the opener still focused.
    useLayoutEffect(() => {
        const before = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
        return () => {
            if (before?.isConnected) {
                before.focus();
            }
        };
    }, []);

    return (e: KeyboardEvent) => {
        const root = ref.current;
        if (e.key !== 'Tab' || !root) {
            return;
        }
        const controls = focusables(root);
        if (!controls.length) {
            e.preventDefault();
            return;
        }
        const first = controls[0];
        const last = controls[controls.length - 1];
        const active = document.activeElement;
        const inside = active instanceof Node && root.contains(active);
        if (e.shiftKey && (active === first || !inside)) {
            e.preventDefault();
            last.focus();
        } else if (!e.shiftKey && (active === last || !inside)) {
            e.preventDefault();
            first.focus();
        }
    };
}
