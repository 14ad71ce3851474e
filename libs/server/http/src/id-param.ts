import { Param, PipeTransform } from '@nestjs/common';
import { toId } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';

/**
 * A path id, parsed at the edge like every other input: the services get it well-formed and in
 * its one spelling (lower case). A path that is no id names no row, so it is the same 404 as an
 * id that names none; `what` is the thing that was not found.
 */
export const IdParam = (name: string, what: string): ParameterDecorator => Param(name, new IdPipe(what));

class IdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly what: string) {}

  transform(value: unknown): string {
    const id = toId(value);
    if (id === undefined) throw AppError.notFound(this.what);
    return id;
  }
}
