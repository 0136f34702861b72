// 'string_decoder' for a package bundled into a node: module: the runtime's node:string_decoder module, imported
// (build.sh keeps it external) rather than bundled again.
export * from 'node:string_decoder';
export { default } from 'node:string_decoder';
