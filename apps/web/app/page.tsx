import { LIMITS } from '@chatbox/contracts';

export default function Home() {
  return (
    <main>
      <h1>ChatBox</h1>
      <p>Usernames are {LIMITS.usernameMin}-{LIMITS.usernameMax} characters.</p>
    </main>
  );
}
