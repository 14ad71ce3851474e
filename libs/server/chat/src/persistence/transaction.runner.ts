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
    // Membership changes queue on the conversation's row lock; leave room for a burst of them.
    return this.prisma.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
  }
}
