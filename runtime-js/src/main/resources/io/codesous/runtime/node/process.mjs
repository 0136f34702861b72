// node:process: the process global (env and nextTick), as its default export and by name.
const process = globalThis.process;
export const env = process.env;
export const nextTick = process.nextTick;
export default process;
