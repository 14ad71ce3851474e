const KEY = /^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/;

/**
 * Throws unless `key` is a file store key: segments of [a-zA-Z0-9_.-] joined by single slashes,
 * none of them `.` or `..`. Every store checks it, so a key means the same thing (and cannot leave
 * its directory or bucket prefix) whichever store holds it.
 */
export function assertFileStoreKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`invalid file store key: ${JSON.stringify(key)}`);
  }
}
