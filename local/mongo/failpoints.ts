// The `failCommand` fail point, compatible with mongod's test command of the same name.
import type { Document } from 'bson';
import { CommandError } from './errors.ts';

export interface FailCommandData {
  failCommands: string[];
  errorCode?: number;
  errorLabels?: string[];
  closeConnection?: boolean;
  blockConnection?: boolean;
  blockTimeMS?: number;
  appName?: string;
  writeConcernError?: Document;
}

export type FailAction = FailCommandData;

export class FailPoints {
  private mode: 'off' | 'alwaysOn' | 'times' = 'off';
  private remaining = 0;
  private data: FailCommandData | undefined;
  /**
   * Commands the fail point has acted on, ever (mongod's timesEntered, returned as `count` by every
   * configureFailPoint): callers compare two replies to learn how often it fired in between.
   */
  private entered = 0;

  configure(cmd: Document): Document {
    const name = cmd.configureFailPoint;
    if (name !== 'failCommand') throw new CommandError(2, `Unknown fail point: ${String(name)}`);
    const mode = cmd.mode;
    if (mode === 'off') {
      this.mode = 'off';
      this.data = undefined;
    } else if (mode === 'alwaysOn') {
      this.mode = 'alwaysOn';
    } else if (mode && typeof mode === 'object' && mode.times !== undefined) {
      this.mode = 'times';
      this.remaining = Number(mode.times);
      if (this.remaining <= 0) this.mode = 'off';
    } else {
      throw new CommandError(2, `unsupported fail point mode: ${JSON.stringify(mode)}`);
    }
    if (this.mode !== 'off') {
      const data = cmd.data as Document | undefined;
      if (!data || !Array.isArray(data.failCommands)) throw new CommandError(2, 'failCommand requires data.failCommands');
      this.data = data as FailCommandData;
    }
    return { count: this.entered, ok: 1 };
  }

  /** The action to take for this command, consuming one activation; undefined when it should run normally. */
  check(commandName: string, appName: string | undefined): FailAction | undefined {
    const data = this.data;
    if (this.mode === 'off' || !data) return undefined;
    if (!data.failCommands.includes(commandName)) return undefined;
    if (data.appName !== undefined && data.appName !== appName) return undefined;
    this.entered++;
    if (this.mode === 'times' && --this.remaining <= 0) {
      this.mode = 'off';
      this.data = undefined;
    }
    return data;
  }

  reset(): void {
    this.mode = 'off';
    this.data = undefined;
  }
}
