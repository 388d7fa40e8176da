/**
 * Every secret value passes through a SecretSink before anything could print it.
 * The pipeline adapter registers each with the agent (`##vso[task.setsecret]`); `encodings`
 * lists the forms a secret could take on its way out so those are registered too.
 */
export interface SecretSink {
  /** Register a secret value (and its common encodings). Empty and very short values are ignored by implementations that must. */
  add(value: string | undefined): void;
}

/** A UTF-16 surrogate without its pair (a YAML escape such as "\ud800" makes one): no encoding can carry it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The encodings of a secret that could leak through a URL, a header, a JSON body or a log line. */
export function secretEncodings(value: string): string[] {
  const out = new Set<string>([value]);
  // a URL cannot hold a lone surrogate (encodeURI throws): the other forms still can
  if (!LONE_SURROGATE.test(value)) {
    out.add(encodeURIComponent(value));
    out.add(encodeURI(value));
  }
  out.add(Buffer.from(value, 'utf8').toString('base64'));
  out.add(Buffer.from(value, 'utf8').toString('base64url'));
  out.add(JSON.stringify(value).slice(1, -1));
  return [...out].filter((v) => v.length > 0);
}

/** In-memory sink used by tests and by code that needs to scrub text (e.g. server messages) itself. */
export class SecretSet implements SecretSink {
  private readonly values = new Set<string>();
  /** values added already, whose encodings are in `values` */
  private readonly added = new Set<string>();
  add(value: string | undefined): void {
    if (!value || this.added.has(value)) return;
    this.added.add(value);
    for (const v of secretEncodings(value)) this.values.add(v);
  }
  has(value: string): boolean {
    return this.values.has(value);
  }
  /** Replace every known secret (longest first) with `***`. */
  redact(text: string): string {
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of sorted) if (v.length >= 3) out = out.split(v).join('***');
    return out;
  }
  all(): string[] {
    return [...this.values];
  }
}
