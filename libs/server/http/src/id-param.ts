import { Param, PipeTransform } from '@nestjs/common';
import { toId } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';

/**
 * A path id, parsed at the edge like every other input: the services get it well-formed and in
 * its one spelling (lower case), whatever case the client wrote. Anything else is 400 naming the
 * parameter, before any lookup.
 */
export const IdParam = (name: string): ParameterDecorator => Param(name, new IdPipe(name));

class IdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    const id = toId(value);
    if (id === undefined) throw AppError.validation({ [this.name]: 'must be an id' });
    return id;
  }
}
