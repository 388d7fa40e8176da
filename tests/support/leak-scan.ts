/**
 * The leak scan every end-to-end run goes through (tests/support/world.ts runs it after each task): every
 * secret the run could have seen, in every form it could leak in, looked for in everything the run left
 * behind. Totals for the whole mocha process are kept in a global the summary reporter prints.
 *
 * Forms of each secret: raw, encodeURIComponent, encodeURI, base64 (with and without padding), base64url,
 * JSON-escaped. Views of each haystack: as written, percent-decoded, and every base64/base64url-looking run
 * of 12 or more characters decoded (at each of the four alignments), so `Basic base64(anyone:secret)` is
 * found without knowing the user. Forms shorter than MIN_FORM characters are not looked for (noise).
 */

export interface LabeledSecret {
  /** where the secret comes from, e.g. `secret variable GIT_PAT` (never the value) */
  label: string;
  value: string;
}

export interface Haystack {
  /** e.g. `stdout (masked as the agent would)`, a file path */
  where: string;
  text: string;
}

export interface LeakScanTotals {
  runs: number;
  haystacks: number;
  bytes: number;
  /** secret values looked for, summed over runs */
  secretsChecked: number;
  /** forms looked for, summed over runs */
  formsChecked: number;
  /** distinct secret values seen across the suite */
  distinctSecrets: number;
  hits: number;
  /** time spent scanning */
  ms: number;
}

export const MIN_FORM = 6;
const MIN_BASE64_RUN = 12;

const KEY = Symbol.for('azureml-connections.leak-scan');
/** running totals: the distinct secrets as a set */
export type Store = Omit<LeakScanTotals, 'distinctSecrets'> & { values: Set<string> };
/** the suite's totals: one per process, in a global the reporter (a CommonJS module) can read */
const store = ((globalThis as Record<symbol, Store | undefined>)[KEY] ??= separateTotals());

/** The totals so far in this process (the summary reporter prints them once). */
export function leakScanTotals(): LeakScanTotals {
  const { values: _v, ...totals } = store;
  return { ...totals, distinctSecrets: store.values.size };
}

/** Fresh totals: the suite's, or a test's own whose hits are planted (not the suite's). */
export function separateTotals(): Store {
  return { runs: 0, haystacks: 0, bytes: 0, secretsChecked: 0, formsChecked: 0, hits: 0, ms: 0, values: new Set<string>() };
}

/** The forms a secret could leak in, each labelled, shorter ones dropped. */
export function secretForms(value: string): Array<{ form: string; how: string }> {
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const candidates: Array<[string, string]> = [
    ['raw', value],
    ['URL-encoded', encodeURIComponent(value)],
    ['URI-encoded', encodeURI(value)],
    ['base64', b64],
    ['base64 without padding', b64.replace(/=+$/, '')],
    ['base64url', Buffer.from(value, 'utf8').toString('base64url')],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
  ];
  const seen = new Set<string>();
  const out: Array<{ form: string; how: string }> = [];
  for (const [how, form] of candidates) {
    if (form.length < MIN_FORM || seen.has(form)) continue;
    seen.add(form);
    out.push({ form, how });
  }
  return out;
}

/** Percent-escapes decoded where they form valid UTF-8; everything else as it is. */
export function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * Every run of base64 or base64url characters of at least 12 characters, decoded at each alignment
 * (a Basic header's value, a JWT segment, base64 inside a larger token), joined by newlines.
 */
export function base64Decoded(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{12,}/g)) {
    const run = m[0];
    for (let shift = 0; shift < 4 && run.length - shift >= MIN_BASE64_RUN; shift++) {
      out.push(Buffer.from(run.slice(shift).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'));
    }
  }
  return out.join('\n');
}

/**
 * Looks for every form of every secret in every haystack (and in its decoded views). Returns one line per
 * hit naming the secret's label, the form and the place, never the value; counts into the suite totals.
 */
export function scanForSecrets(haystacks: readonly Haystack[], secrets: readonly LabeledSecret[], totals: Store = store): string[] {
  const started = performance.now();
  const unique = new Map<string, string>();
  for (const s of secrets) if (s.value.length >= MIN_FORM && !unique.has(s.value)) unique.set(s.value, s.label);
  const hits: string[] = [];
  let forms = 0;
  const views = haystacks.map((h) => ({ where: h.where, text: h.text, percent: percentDecoded(h.text), decoded: base64Decoded(h.text) }));
  for (const [value, label] of unique) {
    totals.values.add(value);
    const all = secretForms(value);
    forms += all.length;
    for (const v of views) {
      const found = all.find((f) => v.text.includes(f.form));
      if (found) hits.push(`${label} (${found.how}) appears in ${v.where}`);
      else if (all.some((f) => v.percent.includes(f.form))) hits.push(`${label} (percent-encoded) appears in ${v.where}`);
      else if (v.decoded.includes(value) || v.decoded.includes(encodeURIComponent(value))) hits.push(`${label} (inside base64) appears in ${v.where}`);
    }
  }
  totals.runs++;
  totals.haystacks += haystacks.length;
  totals.bytes += haystacks.reduce((n, h) => n + Buffer.byteLength(h.text, 'utf8'), 0);
  totals.secretsChecked += unique.size;
  totals.formsChecked += forms;
  totals.hits += hits.length;
  totals.ms += performance.now() - started;
  return hits;
}

/**
 * Credentials written into a URL or a connection string, found without the product's code: the password of
 * `scheme://user:password@host` (the user when there is no password: `https://<token>@host`), and the
 * values of parameters named like a credential (`?sig=`, `&access_token=`, `;Password=`). Each also
 * percent-decoded.
 */
export function credentialsInText(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]+)@/gi)) {
    const info = m[2] as string;
    const colon = info.indexOf(':');
    if (colon >= 0) out.push(info.slice(colon + 1));
    else if (/^https?$/i.test(m[1] as string)) out.push(info);
  }
  const names = /(?:^|[?&;])\s*(sig|signature|sas|sv_sig|token|access_token|id_token|refresh_token|code|key|apikey|api_key|api-key|subscription-key|accountkey|sharedaccesskey|password|pwd|passwd|secret|client_secret|x-amz-signature|x-amz-security-token)\s*=([^&;#\s]+)/gi;
  for (const m of text.matchAll(names)) out.push(m[2] as string);
  const all = new Set<string>();
  for (const v of out) {
    all.add(v);
    all.add(percentDecoded(v));
  }
  return [...all].filter((v) => v.length > 0);
}
