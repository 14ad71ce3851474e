import { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from '@chatbox/server-common';

/** Validates a body, query or param with its contract schema. */
export class ZodPipe<S extends z.ZodTypeAny> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseOrThrow(this.schema, value);
  }
}
