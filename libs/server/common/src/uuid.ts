const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cheap shape check before a value reaches a uuid column: anything else names no row (and PostgreSQL would reject the cast). */
export const isUuid = (value: string): boolean => UUID.test(value);
