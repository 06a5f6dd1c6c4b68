package dev.keel.cli;

import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.KeelException;
import dev.keel.registry.card.ModelCardHtml;
import dev.keel.registry.card.ModelCardJson;
import dev.keel.registry.card.ModelCardMarkdown;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The forms {@code keel models card} writes a model card in. */
enum CardFormat {
    MARKDOWN, HTML, JSON;

    String render(ModelCard card) {
        return switch (this) {
            case MARKDOWN -> ModelCardMarkdown.render(card);
            case HTML -> ModelCardHtml.render(card);
            case JSON -> ModelCardJson.writePretty(card) + "\n";
        };
    }

    /** Case-insensitive; picocli hands the raw value here so a wrong one is a clear exit 2. */
    static CardFormat parse(String value) {
        for (CardFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw KeelException.invalid("'--format' must be one of " + Arrays.stream(values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + " (got '" + value + "')");
    }
}
