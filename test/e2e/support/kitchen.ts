/** The kitchen display (/kitchen) and the staff sign-in, as kitchen staff use them on a 1280×800 tablet. */
import type { Locator, Page } from 'playwright-core';

/** The shared staff sign-in form (kitchen display and staff console). */
export async function signInStaff(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export class KitchenPage {
  constructor(readonly page: Page) {}

  /** Opens /kitchen, signs in, and waits for the live board (socket connected, tickets loaded). */
  async open(username: string, password: string): Promise<void> {
    await this.page.goto('/kitchen');
    await signInStaff(this.page, username, password);
    await this.page.locator('[data-testid="connection-state"][data-live="true"]').waitFor();
    await this.page.locator('main.k-grid[aria-busy="false"]').waitFor();
  }

  ticket(orderId: string): Locator {
    return this.page.getByTestId(`ticket-${orderId}`);
  }

  item(orderId: string, index: number): Locator {
    return this.page.getByTestId(`item-${orderId}-${index}`);
  }

  /** Taps an item until it shows `status` (NEW → COOKING → READY), waiting for each answer. */
  async advanceTo(orderId: string, index: number, status: 'COOKING' | 'READY' | 'SERVED'): Promise<void> {
    const order = ['NEW', 'COOKING', 'READY', 'SERVED'];
    const item = this.item(orderId, index);
    for (;;) {
      const current = await item.getAttribute('data-status');
      if (current === status) return;
      if (!current || order.indexOf(current) > order.indexOf(status)) throw new Error(`item ${index} is ${current}, past ${status}`);
      const next = order[order.indexOf(current) + 1];
      await item.click();
      await this.page.locator(`[data-testid="item-${orderId}-${index}"][data-status="${next}"]`).waitFor();
    }
  }
}
