/** The staff console (/staff) as a waiter uses it on a 1280×800 tablet: floor view, table panel, PIN, payment. */
import type { Locator, Page } from 'playwright-core';
import { signInStaff } from './kitchen.ts';

export class StaffPage {
  constructor(readonly page: Page) {}

  /** Opens /staff, signs in and waits for the floor view. */
  async open(username: string, password: string): Promise<void> {
    await this.page.goto('/staff');
    await signInStaff(this.page, username, password);
    await this.table('T-1').waitFor();
  }

  /** A table's card on the floor view ("T-4"). */
  table(number: string): Locator {
    return this.page.getByTestId(`table-${number}`);
  }

  get panel(): Locator {
    return this.page.getByTestId('table-panel');
  }

  /** Opens a session on a free table in `mode`; returns the PIN the console shows in large digits. */
  async openTable(number: string, mode: 'FAMILY' | 'INDIVIDUAL'): Promise<{ pin: string; sessionId: string }> {
    await this.table(number).click();
    await this.page.locator(`[data-testid="table-panel"][data-table="${number}"]`).waitFor();
    await this.panel.getByTestId(`mode-${mode}`).check();
    await this.panel.getByTestId('open-session').click();
    const pin = this.panel.getByTestId('pin-display');
    await pin.waitFor();
    const digits = (await pin.innerText()).replace(/\D/g, '');
    if (!/^\d{4}$/.test(digits)) throw new Error(`The console shows no 4-digit PIN: "${await pin.innerText()}"`);
    await this.page.locator(`[data-testid="table-${number}"][data-session-id]`).waitFor();
    const sessionId = (await this.table(number).getAttribute('data-session-id'))!;
    return { pin: digits, sessionId };
  }

  /** Records the whole bill as paid with `method` (through the confirmation dialog) and waits for "settled". */
  async payWholeBill(method: 'CASH' | 'CARD' | 'UPI'): Promise<void> {
    await this.panel.getByTestId(`pay-bill-${method}`).click();
    await this.page.getByTestId('confirm-action').click();
    await this.panel.getByTestId('bill-settled').waitFor();
  }
}
