// node:string_decoder, bundled by build.sh into the runtime's node/string_decoder.mjs: the npm string_decoder
// package over the runtime's Buffer (global-buffer.cjs), so the bundle carries no second Buffer.
import { StringDecoder } from 'string_decoder';

export { StringDecoder };
export default { StringDecoder };
