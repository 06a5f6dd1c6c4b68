package dev.keel.registry.approval;

import dev.keel.api.registry.card.CardSection;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/** The model card sections a person must have written, by their policy names. */
public record RequiredCardSections(List<CardSection> sections) implements Check {
    public RequiredCardSections {
        if (sections == null || sections.isEmpty()) {
            throw KeelException.invalid("card_sections needs at least one section");
        }
        sections = List.copyOf(sections);
        if (new HashSet<>(sections).size() != sections.size()) {
            throw KeelException.invalid("card_sections lists a section twice: " + names(sections));
        }
    }

    @Override
    public String describe() {
        return "card_sections: [" + names(sections) + "]";
    }

    @Override
    public CheckResult evaluate(CheckContext context) {
        List<CardSection> missing = new ArrayList<>();
        for (CardSection section : sections) {
            if (context.missingSections().contains(section)) {
                missing.add(section);
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.passed(this, "the model card has " + names(sections));
        }
        return CheckResult.failed(this, "the model card is missing " + missing.stream()
                .map(s -> s.wireName() + " (needs " + s.requirement() + ")")
                .collect(Collectors.joining(", ")));
    }

    private static String names(List<CardSection> sections) {
        return sections.stream().map(CardSection::wireName).collect(Collectors.joining(", "));
    }
}
