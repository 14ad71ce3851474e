export * from './admin.module';
export * from './admin-users.service';
export * from './audit-log.service';
export * from './registration-admin.service';
