// A value that follows another one after it has stopped changing for `ms` (the search box waits for typing to pause).
import {useEffect, useState} from 'react';

export function useDebounced<T>(value: T, ms: number): T {
    const [settled, setSettled] = useState(value);
    useEffect(() => {
        const timer = setTimeout(() => setSettled(value), ms);
        return () => clearTimeout(timer);
    }, [value, ms]);
    return settled;
}
