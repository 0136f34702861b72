// 'events' for a package bundled into a node: module: the runtime's node:events module, imported (build.sh keeps it
// external), so that the bundle's emitters are the EventEmitter code elsewhere imports, not a second copy.
export * from 'node:events';
export { default } from 'node:events';
