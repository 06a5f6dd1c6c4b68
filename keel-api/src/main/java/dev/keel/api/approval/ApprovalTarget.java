package dev.keel.api.approval;

import dev.keel.api.registry.AliasName;
import dev.keel.api.registry.Stage;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * Where an approval request would take a version: a gated stage (Staging or Production) or a
 * protected alias such as {@code champion}. Stored as a kind and a value.
 */
public sealed interface ApprovalTarget {

    /** "stage" or "alias", as stored and shown. */
    String kind();

    /** The stage's wire name or the alias. */
    String value();

    /**
     * Moving the version to Staging or Production; the other stages need no approval. With
     * {@code archiveExistingVersions} the versions already in that stage move to Archived when the
     * request is applied, as a direct transition with that option does.
     */
    record ToStage(Stage stage, boolean archiveExistingVersions) implements ApprovalTarget {
        public ToStage {
            Checks.requireNonNull("stage", stage);
            if (stage != Stage.STAGING && stage != Stage.PRODUCTION) {
                throw KeelException.invalid("'stage' of an approval request must be Staging or Production (got "
                        + stage.wireName() + "); other stages need no approval");
            }
        }

        /** Moving the version without archiving the others. */
        public ToStage(Stage stage) {
            this(stage, false);
        }

        @Override
        public String kind() {
            return "stage";
        }

        @Override
        public String value() {
            return stage.wireName();
        }

        @Override
        public String describe() {
            return "stage " + stage.wireName() + (archiveExistingVersions
                    ? ", archiving the versions already in " + stage.wireName() : "");
        }
    }

    /** Pointing an alias at the version. */
    record ToAlias(String alias) implements ApprovalTarget {
        public ToAlias {
            AliasName.requireValid(alias);
        }

        @Override
        public String kind() {
            return "alias";
        }

        @Override
        public String value() {
            return alias;
        }
    }

    static ApprovalTarget stage(String stage) {
        return new ToStage(Stage.parse(stage));
    }

    static ApprovalTarget alias(String alias) {
        return new ToAlias(alias);
    }

    /** The target from its stored or wire form; a 400 naming 'target' for an unknown kind. */
    static ApprovalTarget of(String kind, String value) {
        return of(kind, value, false);
    }

    /**
     * As above, with the stage request's archiving option; a 400 naming
     * 'archive_existing_versions' when it is asked of an alias.
     */
    static ApprovalTarget of(String kind, String value, boolean archiveExistingVersions) {
        Checks.requireNonBlank("target", kind);
        if (archiveExistingVersions && !kind.equals("stage")) {
            throw KeelException.invalid("'archive_existing_versions' applies only to a stage request, not to " + kind
                    + " '" + value + "'");
        }
        return switch (kind) {
            case "stage" -> new ToStage(Stage.parse(value), archiveExistingVersions);
            case "alias" -> alias(value);
            default -> throw KeelException.invalid("'target' must be a stage or an alias (got '" + kind + "')");
        };
    }

    /** "stage Production" or "alias champion", for messages. */
    default String describe() {
        return kind() + " " + value();
    }
}
