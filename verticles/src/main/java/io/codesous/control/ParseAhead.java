package io.codesous.control;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;

/**
 * Where an uploaded draft's entry module is parsed before it is published: the sandbox of an invoker in the same
 * process, which keeps the parsed code for the version's first context; every invoker of the deployment, told of the
 * draft over the queue ({@link DraftAnnouncer}); or nowhere ({@link #NONE}). Called on the validation pool after the
 * draft is stored and answered; blocks for the time a parse takes where it parses. An implementation never throws:
 * the draft stands whatever happens here.
 */
@FunctionalInterface
public interface ParseAhead {

  /** Nothing to parse ahead: no invoker prepares versions. */
  ParseAhead NONE = draft -> {
  };

  void parse(Draft draft);

  /** A draft as stored: its function, its id, and what it holds. */
  record Draft(String tenant, String namespace, String function, String draftId, BundleFiles bundle,
               Manifest manifest) {
  }
}
