// Vitest setup: unmount rendered React trees and reset cookies between tests.
import {afterEach} from 'vitest';
import {cleanup} from '@testing-library/react';

afterEach(() => {
    cleanup();
    for (const part of document.cookie.split(';')) {
        const name = part.split('=')[0].trim();
        if (name) {
            document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
        }
    }
});
