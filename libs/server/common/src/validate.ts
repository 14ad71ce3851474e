import type { z } from 'zod';
import type { TFieldErrors } from '@chatbox/contracts';
import { AppError } from './app-error';

/** Field path -> first problem with it; the root is named "body". */
export function fieldErrors(error: z.ZodError): TFieldErrors {
  const fields: TFieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= 'is not an allowed field';
      continue;
    }
    const name = issue.path.length ? issue.path.join('.') : 'body';
    fields[name] ??= issue.message;
  }
  return fields;
}

/** Parses input with a contract schema, or throws validation_failed naming each bad field. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw AppError.validation(fieldErrors(result.error));
  return result.data;
}
