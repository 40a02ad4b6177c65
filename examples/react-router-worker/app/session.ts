// Hydrogen's AppSession, on React Router's cookie session storage: the session cookie is the token store. The
// worker commits the session after every request that changed it, so a renewed token goes out with Set-Cookie.
import { createCookieSessionStorage, type Session, type SessionStorage } from 'react-router';
import type { Token, TokenStore } from 'storefront-customer-session/2026-04';

const TOKEN_KEY = 'customerAccessToken';

export class AppSession {
  /** Whether the session changed since it was read: commit it then. */
  isPending = false;

  private constructor(
    private readonly storage: SessionStorage,
    private readonly session: Session,
    private readonly secure: boolean,
  ) {}

  static async init(request: Request, secrets: string[]): Promise<AppSession> {
    const storage = createCookieSessionStorage({
      cookie: { name: 'session', httpOnly: true, path: '/', sameSite: 'lax', secrets },
    });
    // A cookie signed with another secret, or garbled, reads as an empty session.
    const session = await storage.getSession(request.headers.get('Cookie')).catch(() => storage.getSession());
    return new AppSession(storage, session, new URL(request.url).protocol === 'https:');
  }

  get(key: string): unknown {
    return this.session.get(key);
  }

  set(key: string, value: unknown): void {
    this.isPending = true;
    this.session.set(key, value);
  }

  unset(key: string): void {
    this.isPending = true;
    this.session.unset(key);
  }

  commit(): Promise<string> {
    this.isPending = false;
    return this.storage.commitSession(this.session, { secure: this.secure });
  }
}

/** The token store over the session: plain get / set / clear, one per request. */
export function sessionTokenStore(session: AppSession): TokenStore {
  return {
    get: () => (session.get(TOKEN_KEY) as Token | undefined) ?? null,
    set: (token) => session.set(TOKEN_KEY, { accessToken: token.accessToken, expiresAt: token.expiresAt }),
    clear: () => session.unset(TOKEN_KEY),
  };
}
