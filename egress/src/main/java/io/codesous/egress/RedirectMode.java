package io.codesous.egress;

/** What a fetch does with a redirect response, as the Fetch standard's {@code redirect} option. */
public enum RedirectMode {
  /** Follow up to the configured number of redirects, checking every hop like the first URL. */
  FOLLOW,
  /** Return the redirect response itself; the function decides whether to fetch the Location. */
  MANUAL,
  /** Fail the fetch on any redirect. */
  ERROR
}
