package dev.keel.serving.runtime;

import dev.keel.api.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which float inputs of a model may hold NaN or ±infinity. None by default: a NaN that reaches a
 * linear model comes back as a NaN score or, worse, as whichever class wins a comparison with
 * NaN, so a client's missing value must be refused rather than silently answered.
 *
 * <p>A signature has no place to say otherwise, so a model version says it with the tag
 * {@value #TAG}: {@code *} for every input, or a comma-separated list of input names (for a
 * model that imputes missing values itself, such as a scikit-learn pipeline with an imputer).
 */
public record NonFiniteInputs(boolean all, Set<String> names) {
    public static final String TAG = "keel.serving.allow_non_finite";
    public static final NonFiniteInputs NONE = new NonFiniteInputs(false, Set.of());
    public static final NonFiniteInputs ALL = new NonFiniteInputs(true, Set.of());

    public NonFiniteInputs {
        names = Set.copyOf(names);
    }

    public static NonFiniteInputs of(String... names) {
        return new NonFiniteInputs(false, Set.of(names));
    }

    /** From a version's tags: {@value #TAG} = {@code *} or {@code a,b,c}; absent means none. */
    public static NonFiniteInputs fromTags(List<Tag> tags) {
        for (Tag tag : tags) {
            if (tag.key().equals(TAG)) {
                String value = tag.value().strip();
                if (value.equals("*")) {
                    return ALL;
                }
                return new NonFiniteInputs(false, Arrays.stream(value.split(","))
                        .map(String::strip).filter(name -> !name.isEmpty()).collect(Collectors.toSet()));
            }
        }
        return NONE;
    }

    public boolean allows(String input) {
        return all || names.contains(input);
    }
}
