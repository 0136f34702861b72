/**
 * What every component shares and nothing more: the {@link io.codesous.component.Lifecycle} of a plain
 * component object and the thin verticle that runs one on its event loop. Components (control, gateway,
 * invoker) may import this package and the libraries below them (store, http, spec, ports), never each other
 * or the composition root; {@code ComponentBoundariesTest} keeps that true.
 */
package io.codesous.component;
