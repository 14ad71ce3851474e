import { ProfileApp } from '@chatbox/web-chat';

export const metadata = { title: 'Profile · ChatBox' };

export default function ProfilePage() {
  return <ProfileApp />;
}
