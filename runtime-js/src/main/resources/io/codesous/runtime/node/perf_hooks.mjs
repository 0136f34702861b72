// node:perf_hooks: the performance global (whole milliseconds since the activation began, as Date.now() gives them).
// Node.js's observers and histograms measure a process the sandbox does not expose: importing them fails to link,
// naming the export.
export const performance = globalThis.performance;
export default { performance };
