/** A stream that keeps what is written, and says whether it is a terminal. */
import { setMessageTranslator } from '../../../src/messages';
import { installCliMessages } from '../../../src/messages/cli';

export class Captured {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l.length > 0);
  }
}

/** The command line's sentences, installed for each test of the suite as its entry installs them, and removed after. */
export function withCliMessages(): void {
  beforeEach(() => installCliMessages());
  afterEach(() => setMessageTranslator(undefined));
}
