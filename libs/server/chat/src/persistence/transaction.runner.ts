import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';

/** A database handle repositories run their queries on: the client itself or an open transaction. */
export type Db = Prisma.TransactionClient;

/**
 * Lets a service group several repository calls into one transaction without touching Prisma:
 * it only hands the opaque handle on to the repositories.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }
}
