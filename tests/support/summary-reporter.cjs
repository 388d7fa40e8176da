'use strict';
// Mocha's spec output, then one plain closing line that CI reads: "N passed, M failed".
// Before it, when end-to-end runs were audited, the leak scan's totals (tests/support/leak-scan.ts).
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

const LEAK_SCAN = Symbol.for('azureml-connections.leak-scan');

function leakScanLine() {
  const t = globalThis[LEAK_SCAN];
  if (!t || !t.runs) return '';
  const mib = (t.bytes / 1048576).toFixed(1);
  return (
    `leak scan: ${t.runs} task runs, ${t.bytes} bytes (${mib} MiB) in ${t.haystacks} outputs and files, ` +
    `${t.values.size} distinct secrets (${t.secretsChecked} secret checks, ${t.formsChecked} forms), ${t.hits} hits; ${(t.ms / 1000).toFixed(1)} s\n`
  );
}

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0, pending: 0 };
      // printed after Spec's epilogue, so it is the last line of the run
      process.nextTick(() => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(leakScanLine());
        process.stdout.write(`${s.passes} passed, ${s.failures} failed${skipped}\n`);
      });
    });
  }
}
module.exports = SummaryReporter;
