/**
 * The digest key when two runs make one: a key another run made since this run's list is kept (never
 * replaced), and a run whose new key another run's replaced writes its digests again with the winner —
 * either way the next run finds every connection unchanged.
 */
import * as assert from 'node:assert/strict';
import type { ArmConnection, ConnectionProperties, ListConnectionsOptions } from '../../../src/arm/types';
import { MemoryLog } from '../../../src/core/log';
import { SecretSet } from '../../../src/core/secrets';
import { checkDigest, DIGEST_KEY_CONNECTION, DIGEST_METADATA_KEY, digestKeyFrom, digestKeyProperties, newDigestKey } from '../../../src/engine/digest';
import { reconcile, type ReconcileSettings } from '../../../src/engine/reconcile';
import type { ConnectionSpec } from '../../../src/model/types';
import { FakeConnectionsApi } from './fake-api';
import { gitPat, PAT, PAT2 } from './fixtures';

const SETTINGS: ReconcileSettings = { mode: 'apply', defaultPlanFile: 'plan.json', onExisting: 'update', prune: false, maxParallel: 4, secretCheck: 'digest', apiVersion: '2025-06-01' };

async function run(api: FakeConnectionsApi, desired: ConnectionSpec[], settings: ReconcileSettings = SETTINGS) {
  const log = new MemoryLog();
  const outputs: Record<string, string> = {};
  const services = {
    log,
    secrets: new SecretSet(),
    outputs: { set: (k: string, v: string) => void (outputs[k] = v), setSecretVariable: () => undefined, uploadSummary: () => undefined },
    readFile: () => '',
    writeFile: () => undefined,
  };
  const done = await reconcile(desired, { api, ref: api.workspace }, settings, services, { title: 'Create', declaredBy: 'files' });
  return { done, log, outputs };
}

/** The key a stored connection's digest was made with, among these. */
function digestMadeWith(api: FakeConnectionsApi, spec: ConnectionSpec, keys: Record<string, Buffer>): string | undefined {
  const stored = api.stored(spec.name) as ArmConnection;
  assert.ok(stored.properties.metadata?.[DIGEST_METADATA_KEY], `${spec.name} carries a digest`);
  return Object.entries(keys).find(([, key]) => checkDigest(key, stored, spec.properties.credentials ?? {}).valuesMatch)?.[0];
}

const OTHER = newDigestKey();
const otherKey = digestKeyFrom(digestKeyProperties(OTHER).credentials) as Buffer;
const storedKey = (api: FakeConnectionsApi) => digestKeyFrom(api.stored(DIGEST_KEY_CONNECTION)?.properties.credentials) as Buffer;

describe('engine/reconcile: the digest key when two runs make one', () => {
  const desired = [gitPat('repo-a', PAT), gitPat('repo-b', PAT2)];

  it("keeps a key another run made after this run's list, and writes this run's digests again with it", async () => {
    // the other run's key lands between this run's list and its first write
    const api = new (class extends FakeConnectionsApi {
      override async list(options?: ListConnectionsOptions): Promise<ArmConnection[]> {
        const listed = await super.list(options);
        this.seed(DIGEST_KEY_CONNECTION, digestKeyProperties(OTHER));
        return listed;
      }
    })();
    const { done, log } = await run(api, desired);
    assert.equal(done.outcome.result, 'Succeeded');
    assert.deepEqual(api.calls.filter((c) => c.name === DIGEST_KEY_CONNECTION).map((c) => c.method), ['listSecrets', 'get', 'listSecrets'], 'no PUT of a key of its own');
    assert.ok(storedKey(api).equals(otherKey), "the other run's key is still the workspace's");
    for (const s of desired) assert.equal(digestMadeWith(api, s, { other: otherKey }), 'other', s.name);
    assert.equal(api.writes().length, 4, 'two creates, and the same two written again with the kept key');
    assert.ok(log.lines.some((l) => l.includes(`Another run made the secret digest key in connection '${DIGEST_KEY_CONNECTION}' while this one ran; the 2 connection(s)`)), log.lines.join('\n'));

    api.calls.length = 0;
    const next = await run(api, desired);
    assert.equal(next.done.counts.unchanged, 2);
    assert.deepEqual(api.writes(true), [], 'the next run writes nothing');
  });

  it('when another run replaced the key this run wrote, reads the winner once its writes are done and follows it', async () => {
    // the other run's key PUT arrives just after this run's own
    const api = new (class extends FakeConnectionsApi {
      override async put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
        const answer = await super.put(name, properties);
        if (name === DIGEST_KEY_CONNECTION) this.seed(DIGEST_KEY_CONNECTION, digestKeyProperties(OTHER));
        return answer;
      }
    })();
    const { done, log } = await run(api, desired);
    assert.equal(done.outcome.result, 'Succeeded');
    assert.deepEqual(api.calls.filter((c) => c.name === DIGEST_KEY_CONNECTION).map((c) => c.method), ['listSecrets', 'get', 'put', 'listSecrets']);
    for (const s of desired) assert.equal(digestMadeWith(api, s, { other: otherKey }), 'other', s.name);
    assert.ok(log.lines.some((l) => l.startsWith('Another run made the secret digest key')));

    api.calls.length = 0;
    const next = await run(api, desired);
    assert.equal(next.done.counts.unchanged, 2);
    assert.deepEqual(api.writes(true), []);
  });

  it('reads its new key back beside its last writes, not after them (no round trip of its own)', async () => {
    // every connection's PUT is held until the key has been read back (or 200 ms); the key's own is answered at once
    const events: string[] = [];
    let readBack = (): void => undefined;
    const keyReadBack = new Promise<void>((resolve) => (readBack = resolve));
    const api = new (class extends FakeConnectionsApi {
      override async put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
        if (name === DIGEST_KEY_CONNECTION) return super.put(name, properties);
        events.push('sent');
        await Promise.race([keyReadBack, new Promise((resolve) => setTimeout(resolve, 200))]);
        events.push('answered');
        return super.put(name, properties);
      }
      override async listSecrets(name: string): Promise<ArmConnection> {
        if (name === DIGEST_KEY_CONNECTION && this.stored(DIGEST_KEY_CONNECTION)) {
          events.push('key read back');
          readBack();
        }
        return super.listSecrets(name);
      }
    })();
    const many = Array.from({ length: 6 }, (_, i) => gitPat(`repo-${i}`, `${PAT}-${i}`));
    const { done } = await run(api, many);
    assert.equal(done.outcome.result, 'Succeeded');
    const at = events.indexOf('key read back');
    assert.ok(at > 0, events.join(', '));
    assert.ok(events.slice(0, at).filter((e) => e === 'sent').length >= many.length - 1, `after the last writes went out: ${events.join(', ')}`);
    assert.equal(events.slice(at).filter((e) => e === 'answered').length, 4, `while four were still in flight: ${events.join(', ')}`);
  });

  it('alone, makes the key, reads it back once, and writes nothing again', async () => {
    const api = new FakeConnectionsApi();
    const { done, log } = await run(api, desired);
    assert.equal(done.outcome.result, 'Succeeded');
    assert.deepEqual(api.calls.filter((c) => c.name === DIGEST_KEY_CONNECTION).map((c) => c.method), ['listSecrets', 'get', 'put', 'listSecrets']);
    assert.equal(api.writes().length, 2);
    const mine = storedKey(api);
    for (const s of desired) assert.equal(digestMadeWith(api, s, { mine }), 'mine', s.name);
    assert.ok(!log.lines.some((l) => l.startsWith('Another run')));
  });
});

describe('engine/reconcile: ARM connections opened ahead', () => {
  /** an answer takes a while, as ARM's do: here, until the event loop's turn after next */
  const awhile = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  /** a workspace that records, in order, each preconnect and the first of each kind of request after it */
  class Recording extends FakeConnectionsApi {
    readonly events: string[] = [];
    preconnect(count: number): void {
      this.events.push(`preconnect ${count}`);
    }
    override async list(options?: ListConnectionsOptions): Promise<ArmConnection[]> {
      this.events.push('list');
      await awhile();
      return super.list(options);
    }
    override async listSecrets(name: string): Promise<ArmConnection> {
      await awhile();
      return super.listSecrets(name);
    }
    override async put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
      if (name !== DIGEST_KEY_CONNECTION && this.events[this.events.length - 1] !== 'put') this.events.push('put');
      await awhile();
      return super.put(name, properties);
    }
  }
  const many = (n: number) => Array.from({ length: n }, (_, i) => gitPat(`repo-${String(i).padStart(3, '0')}`, `${PAT}-${i}`));
  const auto: ReconcileSettings = { ...SETTINGS, maxParallel: 'auto' };

  it("auto: the reads' two and a first round's worth while the reads are in flight, then up to the widest round once the first round is out", async () => {
    const api = new Recording();
    const { done } = await run(api, many(40), auto);
    assert.equal(done.outcome.result, 'Succeeded');
    assert.deepEqual(api.events, ['list', 'preconnect 10', 'put', 'preconnect 32', 'put'], 'the first round\'s once the reads are out, the widest rounds\' once the first round is');
  });

  it('auto: no more than the declared connections, and nothing after the plan when the first round holds every write', async () => {
    const api = new Recording();
    await run(api, many(5), auto);
    assert.deepEqual(api.events, ['list', 'preconnect 7', 'put']);
    const twelve = new Recording();
    await run(twelve, many(12), auto);
    assert.deepEqual(twelve.events, ['list', 'preconnect 10', 'put', 'preconnect 12']);
  });

  it('a run with nothing to write opens nothing after its reads', async () => {
    const api = new Recording();
    await run(api, many(40), auto);
    api.events.length = 0;
    const { done } = await run(api, many(40), auto);
    assert.equal(done.counts.unchanged, 40);
    assert.deepEqual(api.events, ['list', 'preconnect 10']);
  });

  it('secretCheck read: the reads of stored secrets get theirs too, as many as go out at once', async () => {
    const api = new Recording();
    await run(api, many(40), auto);
    api.events.length = 0;
    const { done } = await run(api, many(40), { ...auto, secretCheck: 'read' });
    assert.equal(done.counts.unchanged, 40);
    assert.deepEqual(api.events, ['list', 'preconnect 10', 'preconnect 40']);
    api.events.length = 0;
    await run(api, many(40), { ...SETTINGS, maxParallel: 6, secretCheck: 'read' });
    assert.deepEqual(api.events, ['list', 'preconnect 8', 'preconnect 6']);
  });

  it('a fixed maxParallel starts at its width: its connections beside the reads, none after', async () => {
    const api = new Recording();
    await run(api, many(40), { ...SETTINGS, maxParallel: 6 });
    assert.deepEqual(api.events, ['list', 'preconnect 8', 'put']);
  });
});

