export * from './accounts.module';
export * from './accounts.service';
export * from './token.service';
export * from './jwt-auth.guard';
export * from './jwt.strategy';
export * from './user.repository';
export * from './password-hasher';
