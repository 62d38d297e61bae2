/**
 * The diner app as a guest uses it, by what the guest sees: labels, roles and text (the same names
 * a screen reader announces), so the tests also hold the app to its accessible names.
 */
import type { Locator, Page } from 'playwright-core';

export class DinerPage {
  constructor(readonly page: Page) {}

  /** Opens the table's QR link (`?table=<code>`) and waits for the PIN keypad. */
  async open(tableCode: string): Promise<void> {
    await this.page.goto(`/?table=${tableCode}`);
    await this.pinInput.waitFor();
  }

  get pinInput(): Locator {
    return this.page.getByLabel('Table PIN', { exact: true });
  }

  /** Types the PIN on the on-screen keypad (the fourth digit submits). */
  async typePin(pin: string): Promise<void> {
    for (const digit of pin) await this.page.getByRole('button', { name: `Digit ${digit}`, exact: true }).click();
  }

  /** PIN, then the optional identify step: with a name and phone, or skipped. Ends on the menu. */
  async join(pin: string, who?: { name: string; phone: string }): Promise<void> {
    await this.typePin(pin);
    await this.page.getByRole('heading', { name: 'Tell us who you are (optional)' }).waitFor();
    if (who) {
      await this.page.getByLabel('Name', { exact: true }).fill(who.name);
      await this.page.getByLabel('Mobile number (10 digits)').fill(who.phone);
      await this.page.getByRole('button', { name: 'Continue', exact: true }).click();
      // The number gets a one-time code by SMS; the local runtime keeps it at GET /__local/sms.
      await this.page.getByRole('heading', { name: 'Enter the code we texted you' }).waitFor();
      const code = await this.page.evaluate(async (to) => {
        const { messages } = (await (await fetch('/__local/sms')).json()) as { messages: { to: string; text: string }[] };
        return /\b(\d{6})\b/.exec(messages.filter((m) => m.to === to).at(-1)!.text)![1];
      }, `+91${who.phone}`);
      await this.page.getByLabel('6-digit code').fill(code);
      await this.page.getByRole('button', { name: 'Confirm', exact: true }).click();
    } else {
      await this.page.getByRole('button', { name: 'Skip', exact: true }).click();
    }
    await this.page.getByRole('searchbox', { name: 'Search the menu' }).waitFor();
  }

  /** Opens a dish's sheet from the menu, optionally picks options, adds it, and waits for the sheet to close. */
  async addDish(name: string, options: { quantity?: number; choose?: string[]; notes?: string } = {}): Promise<void> {
    await this.tab('Menu');
    await this.page.getByRole('button', { name: `Add ${name}`, exact: true }).click();
    const sheet = this.page.getByRole('dialog', { name });
    await sheet.waitFor();
    // An option's label is its name and, when it costs extra, "+₹…".
    for (const option of options.choose ?? []) await sheet.getByLabel(new RegExp(`^${option}\\b`)).check();
    if (options.notes) await sheet.getByLabel('Notes for the kitchen').fill(options.notes);
    for (let n = 1; n < (options.quantity ?? 1); n++) await sheet.getByRole('button', { name: 'One more' }).click();
    await sheet.getByRole('button', { name: /^Add to cart/ }).click();
    await sheet.waitFor({ state: 'detached' });
  }

  /** Switches section with the bottom navigation. */
  async tab(name: 'Menu' | 'Cart' | 'Orders' | 'Bill'): Promise<void> {
    const nav = this.page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  /** The cart's line for a dish (the card that holds its name). */
  cartLine(name: string): Locator {
    return this.page.locator('.cart-line').filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** The "Place order · ₹…" button. */
  get placeButton(): Locator {
    return this.page.getByRole('button', { name: /^Place order/ });
  }

  /** An order card on the Orders section by its number. */
  orderCard(orderNumber: string): Locator {
    return this.page.getByRole('listitem', { name: `Order ${orderNumber}` });
  }

  /** All order cards on the Orders section. */
  get orderCards(): Locator {
    return this.page.locator('li.order');
  }

  /** The status badge of a dish on an order card. */
  itemStatus(order: Locator, dish: string): Locator {
    return order.locator('.order-items > li').filter({ hasText: dish }).locator('.badge');
  }
}
