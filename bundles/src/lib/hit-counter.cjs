// A CommonJS module written for Node.js: an EventEmitter subclass made with the inherits package (which requires
// util), loading Node.js's events and path with require().
const { EventEmitter } = require('events');
const inherits = require('inherits');
const path = require('node:path');

function HitCounter() {
  EventEmitter.call(this);
  this.count = 0;
}
inherits(HitCounter, EventEmitter);

HitCounter.prototype.hit = function hit(name) {
  this.count += 1;
  this.emit('hit', path.posix.join('/hits', name), this.count);
};

module.exports = HitCounter;
