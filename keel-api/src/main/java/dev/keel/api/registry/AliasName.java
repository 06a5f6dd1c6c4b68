package dev.keel.api.registry;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.regex.Pattern;

/** MLflow's alias rules: at most 255 word characters or dashes; "latest" and "v<digits>" are reserved. */
public final class AliasName {
    public static final int MAX_LENGTH = 255;
    private static final Pattern VALID = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    // reserved because "models:/name@latest" and "models:/name@v3" already mean something to MLflow's clients
    private static final Pattern VERSION_LIKE = Pattern.compile("^[vV]\\d+$");

    private AliasName() {
    }

    public static String requireValid(String alias) {
        Checks.requireText("alias", alias, MAX_LENGTH);
        if (!VALID.matcher(alias).matches()) {
            throw KeelException.invalid("invalid alias '" + alias
                    + "': an alias may only contain alphanumerics, underscores (_) and dashes (-)");
        }
        if (alias.equalsIgnoreCase("latest") || VERSION_LIKE.matcher(alias).matches()) {
            throw KeelException.invalid("alias '" + alias
                    + "' is reserved: 'latest' and 'v<number>' name versions already");
        }
        return alias;
    }
}
