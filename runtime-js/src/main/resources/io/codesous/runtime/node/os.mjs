// node:os: what code asks of the operating system, answered for the sandbox, which shows none of its host. The answers
// are those of a Linux machine with nothing to report (as the values code falls back to: no CPUs listed, one unit of
// parallelism, no network interfaces, zero memory and load), so that a library that picks a path separator, a line
// end or a pool size from them works, and none learns where it runs.
import { nodeError } from 'node:internal/errors';

export const EOL = '\n';
export const devNull = '/dev/null';
export const constants = Object.freeze({
  signals: Object.freeze({}), errno: Object.freeze({}), priority: Object.freeze({}), dlopen: Object.freeze({}),
  UV_UDP_REUSEADDR: 4,
});

export function arch() {
  return 'x64';
}

export function availableParallelism() {
  return 1;
}

export function cpus() {
  return [];
}

export function endianness() {
  return 'LE';
}

export function freemem() {
  return 0;
}

export function getPriority() {
  return 0;
}

export function homedir() {
  return '/';
}

export function hostname() {
  return 'localhost';
}

export function loadavg() {
  return [0, 0, 0];
}

export function machine() {
  return 'x86_64';
}

export function networkInterfaces() {
  return {};
}

export function platform() {
  return 'linux';
}

export function release() {
  return '';
}

export function setPriority() {
  throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'os.setPriority() is not available in the sandbox');
}

export function tmpdir() {
  return '/tmp';
}

export function totalmem() {
  return 0;
}

export function type() {
  return 'Linux';
}

export function uptime() {
  return 0;
}

export function userInfo() {
  return { uid: -1, gid: -1, username: '', homedir: '/', shell: null };
}

export function version() {
  return '';
}

export default {
  EOL, devNull, constants, arch, availableParallelism, cpus, endianness, freemem, getPriority, homedir, hostname,
  loadavg, machine, networkInterfaces, platform, release, setPriority, tmpdir, totalmem, type, uptime, userInfo,
  version,
};
