// The sign-in form: a plain HTML form posted to a route handler, which sets the cookie.
export default async function Home({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <main>
      <h1>Sign in</h1>
      {error ? <p id="error">Sign-in failed: {error}</p> : null}
      <form id="sign-in" method="post" action="/api/sign-in">
        <input name="email" type="email" autoComplete="username" required />
        <input name="password" type="password" autoComplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
