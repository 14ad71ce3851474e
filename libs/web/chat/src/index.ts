export * from './chat-app';
export * from './auth-form';
export * from './signed-in-redirect';
export * from './password-change-form';
export * from './admin/admin-app';
export * from './profile/profile-app';
