import { randomToken, type CustomerStore } from './state.js';

/** The most carts an emulator keeps; creating one more forgets the one updated longest ago. */
export const MAX_CARTS = 1_000;

/** A cart as the emulator holds it. */
export interface CartRecord {
  /** `gid://shopify/Cart/<token>?key=<key>`, the shape of Shopify's cart ids. */
  id: string;
  /** The customer access token the cart was last given (`buyerIdentity.customerAccessToken`), or `null`. */
  customerAccessToken: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A cart as a test reads it back (`emulator.carts.get(id)`). Holds a secret: assert on it, never log it. */
export interface EmulatorCart {
  id: string;
  /** The customer access token on the cart, or `null` if it was never given one. */
  customerAccessToken: string | null;
  /** The email of the customer that token identifies while it still works (not expired, not deleted), else `null`. */
  customerEmail: string | null;
  /** ms since the epoch (the emulator clock). */
  updatedAt: number;
}

/** Cart controls of an emulator. */
export interface EmulatorCarts {
  /** The cart with this id, or `undefined` (never created, or forgotten past {@link MAX_CARTS}). */
  get(id: string): EmulatorCart | undefined;
  /** How many carts the emulator holds (at most {@link MAX_CARTS}). */
  count(): number;
}

/**
 * The carts, in a map bounded by {@link MAX_CARTS}: ordered by last update, the stalest forgotten first, so a load
 * run creating carts without end holds a fixed amount of memory.
 */
export class CartStore {
  private readonly carts = new Map<string, CartRecord>();

  constructor(
    private readonly now: () => number,
    private readonly max = MAX_CARTS,
  ) {}

  /** A new cart, with `customerAccessToken` on it (or none). */
  create(customerAccessToken: string | null): CartRecord {
    const at = this.now();
    const record: CartRecord = {
      id: `gid://shopify/Cart/${randomToken()}?key=${randomToken()}`,
      customerAccessToken,
      createdAt: at,
      updatedAt: at,
    };
    this.touch(record);
    return record;
  }

  get(id: unknown): CartRecord | undefined {
    return typeof id === 'string' ? this.carts.get(id) : undefined;
  }

  /** Puts `customerAccessToken` on the cart. */
  setCustomerAccessToken(record: CartRecord, customerAccessToken: string): void {
    record.customerAccessToken = customerAccessToken;
    record.updatedAt = this.now();
    this.touch(record);
  }

  count(): number {
    return this.carts.size;
  }

  /** The cart as tests read it: the customer is the one its token identifies while that token works. */
  view(record: CartRecord, customers: CustomerStore): EmulatorCart {
    return {
      id: record.id,
      customerAccessToken: record.customerAccessToken,
      customerEmail: customers.live(record.customerAccessToken)?.customer.email ?? null,
      updatedAt: record.updatedAt,
    };
  }

  private touch(record: CartRecord): void {
    this.carts.delete(record.id);
    this.carts.set(record.id, record);
    if (this.carts.size > this.max) this.carts.delete(this.carts.keys().next().value!);
  }
}
