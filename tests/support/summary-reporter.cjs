'use strict';
// Mocha's spec output, then one plain closing line that CI reads: "N passed, M failed".
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0, pending: 0 };
      // printed after Spec's epilogue, so it is the last line of the run
      process.nextTick(() => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(`${s.passes} passed, ${s.failures} failed${skipped}\n`);
      });
    });
  }
}
module.exports = SummaryReporter;
