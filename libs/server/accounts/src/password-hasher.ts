import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';

/**
 * bcrypt reads only the first 72 bytes of its input; hashing the password with SHA-256 first
 * (base64, 44 bytes) makes every character of a long password count.
 */
const prehash = (password: string): string => createHash('sha256').update(password, 'utf8').digest('base64');

export class PasswordHasher {
  /** A real hash to compare against when the user does not exist, so both failures take as long. */
  private readonly decoy: Promise<string>;

  constructor(private readonly cost: number) {
    this.decoy = bcrypt.hash(prehash('decoy-password-never-matches'), cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(prehash(password), this.cost);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const ok = await bcrypt.compare(prehash(password), hash ?? (await this.decoy));
    return ok && hash !== undefined;
  }
}
