package dev.keel.store.search;

import java.util.List;

/** The right-hand side of a comparison. */
public sealed interface FilterValue {
    record NumberValue(double value) implements FilterValue {
    }

    record StringValue(String value) implements FilterValue {
    }

    record StringList(List<String> values) implements FilterValue {
        public StringList {
            values = List.copyOf(values);
        }
    }
}
