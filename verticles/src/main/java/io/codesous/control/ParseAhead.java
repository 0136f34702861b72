package io.codesous.control;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;

/**
 * Where an uploaded draft's entry module is parsed before it is published: the sandbox of an invoker in the same
 * process, which keeps the parsed code for the version's first context, or nowhere ({@link #NONE}) when invokers run
 * elsewhere. Called on the validation pool after the draft is stored and answered; blocks for the time a parse takes.
 * An implementation never throws: the draft stands whatever happens here.
 */
@FunctionalInterface
public interface ParseAhead {

  /** No sandbox in this process: nothing to parse ahead. */
  ParseAhead NONE = (bundle, manifest) -> {
  };

  void parse(BundleFiles bundle, Manifest manifest);
}
