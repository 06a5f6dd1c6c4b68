package dev.keel.api.serving;

import dev.keel.api.registry.AliasName;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.Stage;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * Which registered model version a variant serves, as people write it: {@code models:/NAME/VERSION},
 * {@code models:/NAME@ALIAS} or {@code models:/NAME/STAGE} (MLflow's model URIs), or the same
 * without the {@code models:/} prefix. An alias or a stage is resolved to a version when the
 * model is loaded, so pointing {@code champion} elsewhere changes what a reload serves.
 */
public sealed interface ModelReference {

    String name();

    /** The {@code models:/} URI this reference was written as. */
    String uri();

    record ByVersion(String name, long version) implements ModelReference {
        public ByVersion {
            ModelName.requireValid("model", name);
            if (version < 1) {
                throw KeelException.invalid("'model' version must be a positive integer (got " + version + ")");
            }
        }

        @Override
        public String uri() {
            return "models:/" + name + "/" + version;
        }
    }

    record ByAlias(String name, String alias) implements ModelReference {
        public ByAlias {
            ModelName.requireValid("model", name);
            AliasName.requireValid(alias);
        }

        @Override
        public String uri() {
            return "models:/" + name + "@" + alias;
        }
    }

    record ByStage(String name, Stage stage) implements ModelReference {
        public ByStage {
            ModelName.requireValid("model", name);
            Checks.requireNonNull("stage", stage);
        }

        @Override
        public String uri() {
            return "models:/" + name + "/" + stage.wireName();
        }
    }

    /**
     * Parses {@code models:/NAME/VERSION}, {@code models:/NAME@ALIAS}, {@code models:/NAME/STAGE}
     * (prefix optional); a 400 naming {@code field} and the accepted forms otherwise.
     */
    static ModelReference parse(String field, String text) {
        Checks.requireNonBlank(field, text);
        String body = text.startsWith("models:/") ? text.substring("models:/".length()) : text;
        int at = body.lastIndexOf('@');
        if (at > 0 && at < body.length() - 1 && body.indexOf('/') < 0) {
            return new ByAlias(body.substring(0, at), body.substring(at + 1));
        }
        int slash = body.lastIndexOf('/');
        if (slash <= 0 || slash == body.length() - 1 || body.indexOf('/') != slash) {
            throw KeelException.invalid("'" + field + "' must be models:/NAME/VERSION, models:/NAME@ALIAS or"
                    + " models:/NAME/STAGE (got '" + text + "')");
        }
        String name = body.substring(0, slash);
        String tail = body.substring(slash + 1);
        if (tail.chars().allMatch(Character::isDigit)) {
            try {
                return new ByVersion(name, Long.parseLong(tail));
            } catch (NumberFormatException e) {
                throw KeelException.invalid("'" + field + "' has a version too large (got '" + tail + "')");
            }
        }
        try {
            return new ByStage(name, Stage.parse(tail));
        } catch (KeelException e) {
            throw KeelException.invalid("'" + field + "' must end in a version number, an @alias or a stage: "
                    + e.getMessage());
        }
    }
}
