import { redirect } from 'next/navigation';

/** The chat checks the session itself and sends visitors without one to /login. */
export default function Home() {
  redirect('/chat');
}
