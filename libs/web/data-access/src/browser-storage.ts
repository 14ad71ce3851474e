/** The part of the Web Storage API the client uses (typed here: the lib also compiles for node tests). */
export type KeyValueStorage = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

/**
 * The browser's localStorage or sessionStorage, or null where there is none (a server render, a
 * test) or where reaching it throws (storage disabled by the user's settings).
 */
export function webStorage(kind: 'localStorage' | 'sessionStorage'): KeyValueStorage | null {
  try {
    return (globalThis as Partial<Record<typeof kind, KeyValueStorage>>)[kind] ?? null;
  } catch {
    return null;
  }
}

/** A value kept as JSON under one key; reads of missing or unreadable data answer `fallback`. */
export class StoredJson<T> {
  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly key: string,
  ) {}

  read(fallback: T): T {
    try {
      const raw = this.storage?.getItem(this.key);
      return raw ? (JSON.parse(raw) as T) : fallback;
    } catch {
      return fallback;
    }
  }

  write(value: T | null): void {
    try {
      if (value === null) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(value));
    } catch {
      // storage full or disabled: the value lives as long as the page does
    }
  }
}
