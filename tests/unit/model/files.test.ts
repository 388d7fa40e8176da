import * as assert from 'node:assert/strict';
import { firstInvalidUtf8, locationOf, MAX_FILE_BYTES, readConnectionFiles, type SourceFileReader } from '../../../src/model/files';

function reader(files: Record<string, Uint8Array | 'folder' | { size: number }>): SourceFileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    stat: (p) => {
      const f = files[p];
      if (f === undefined) return undefined;
      if (f === 'folder') return { folder: true, size: 4096 };
      return { folder: false, size: f instanceof Uint8Array ? f.length : f.size };
    },
    read: (p) => {
      reads.push(p);
      const f = files[p];
      if (f instanceof Uint8Array) return f;
      throw new Error(`test: ${p} may not be read`);
    },
  };
}

const text = (s: string) => Buffer.from(s, 'utf8');

describe('model/files', () => {
  it('finds the first byte that is not UTF-8: stray continuation, overlong, surrogate, beyond U+10FFFF, truncated', () => {
    assert.equal(firstInvalidUtf8(text('héllo ✓ 😀')), text('héllo ✓ 😀').length);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0x80])), 1);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0xaf])), 1);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xe0, 0x80, 0x80])), 0);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xed, 0xa0, 0x80])), 2);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80])), 0);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x9c])), 1);
  });

  it('gives 1-based line and column of an offset', () => {
    assert.deepEqual(locationOf('f', 'ab\ncd\nef', 4), { file: 'f', line: 2, column: 2 });
    assert.deepEqual(locationOf('f', 'ab', 0), { file: 'f', line: 1, column: 1 });
  });

  it('refuses folders, missing and oversized files by name without reading them', () => {
    const r = reader({ '/w/a.yml/': 'folder', '/w/big.yml': { size: MAX_FILE_BYTES + 1 }, '/w/ok.yml': text('name: x\n') });
    const out = readConnectionFiles(['/w/a.yml/', '/w/gone.yml', '/w/big.yml', '/w/ok.yml'], r);
    assert.deepEqual(out.diagnostics.map((d) => d.message), [
      "'/w/a.yml/' is a folder, not a file; narrow the connectionFiles globs so that they match connection files only (e.g. **/connections/*.yml).",
      "'/w/gone.yml' does not exist; check the connectionFiles globs.",
      "'/w/big.yml' is 1.0 MiB; a connection file may be at most 1 MiB. Split it, or remove it from the connectionFiles globs.",
    ]);
    assert.deepEqual(out.files, [{ path: '/w/ok.yml', text: 'name: x\n' }]);
    assert.deepEqual(r.reads, ['/w/ok.yml']);
  });

  it('refuses a file name with a control character, printing it escaped', () => {
    const out = readConnectionFiles(['/w/a\r\n##vso[x].yml'], reader({}));
    assert.deepEqual(out.diagnostics.map((d) => d.message), [
      "The matched file name '/w/a\\u000d\\u000a##vso[x].yml' contains a control character or line break; rename the file.",
    ]);
  });

  it('strips a UTF-8 byte order mark, refuses UTF-16 and control characters with their position', () => {
    const out = readConnectionFiles(['/w/bom.yml', '/w/u16.yml', '/w/esc.yml', '/w/crlf.yml'], reader({
      '/w/bom.yml': Uint8Array.from([0xef, 0xbb, 0xbf, ...text('a: 1\n')]),
      '/w/u16.yml': Uint8Array.from([0xff, 0xfe, 0x61, 0x00]),
      '/w/esc.yml': text('a: 1\nb: x\u001b[31m\n'),
      '/w/crlf.yml': text('a: 1\r\nb:\t2\r\n'),
    }));
    assert.deepEqual(out.files.map((f) => [f.path, f.text]), [['/w/bom.yml', 'a: 1\n'], ['/w/crlf.yml', 'a: 1\r\nb:\t2\r\n']]);
    assert.deepEqual(out.diagnostics.map((d) => [d.location?.line, d.location?.column, d.message]), [
      [1, 1, 'The file is UTF-16, not UTF-8; save it as UTF-8.'],
      [2, 5, 'The file holds the control character U+001B here; remove it (connection files hold text only).'],
    ]);
  });
});
