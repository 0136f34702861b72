// node:events, bundled by build.sh into the runtime's node/events.mjs: the npm events package (Node.js's
// EventEmitter for other platforms), its class as the default export as on Node.js.
import EventEmitter from 'events';

const { once } = EventEmitter;

export { EventEmitter, once };
export default EventEmitter;
