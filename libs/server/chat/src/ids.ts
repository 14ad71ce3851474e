import { ZId } from '@chatbox/contracts';

/** True for a well-formed id; anything else can name no row (and must not reach a uuid column). */
export const isId = (value: unknown): value is string => ZId.safeParse(value).success;
