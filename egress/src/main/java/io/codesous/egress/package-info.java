/**
 * Outbound HTTP for functions ({@code cs.http.fetch}), built so that untrusted code cannot reach
 * the platform's own network.
 *
 * <p>Entry point: {@link io.codesous.egress.EgressClient#fetch}. Each hop of a fetch (the first
 * request and every redirect) passes the same gate, in this order:
 *
 * <ol>
 *   <li>{@link io.codesous.egress.EgressUrl}: absolute http or https URL, no userinfo, valid port.
 *   <li>{@link io.codesous.egress.HostName}: the host normalized (case, trailing dot, IDNA) and,
 *       if it is numeric in any WHATWG spelling or bracketed IPv6, turned into an
 *       {@link io.codesous.egress.IpLiteral}.
 *   <li>A literal address is judged by the {@link io.codesous.egress.AddressPolicy} first.
 *   <li>The normalized host must be on the function's {@link io.codesous.egress.EgressPolicy}
 *       allow-list; names not on it are never even looked up.
 *   <li>A name is resolved once by the {@link io.codesous.egress.HostResolver}; every answer is
 *       judged, and one refused answer refuses the hop.
 *   <li>The connection goes to the judged address itself; the name only travels in the Host header,
 *       SNI and certificate verification.
 * </ol>
 *
 * <p>{@link io.codesous.egress.AddressClassifier} lists the refused ranges. Failures are
 * {@link io.codesous.egress.EgressException}s whose code is one of the platform's stable error
 * codes and whose message is safe to show to the function.
 */
package io.codesous.egress;
