/**
 * How components receive the results of the requests they publish: {@link io.codesous.results.ReplyRoute}.
 * Every component may import it; it imports none of them.
 */
package io.codesous.results;
