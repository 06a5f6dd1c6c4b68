package dev.keel.tracking;

import java.util.List;

/**
 * Readable names for runs started without one, such as {@code brave-otter-417}, as MLflow gives.
 * The name is drawn from the run id's random bits, so a seeded id source makes names repeatable
 * and no second random source is needed.
 */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of(
            "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fair",
            "fierce", "gentle", "glad", "golden", "grand", "happy", "hidden", "honest", "humble", "keen",
            "kind", "lively", "lucky", "merry", "mighty", "nimble", "noble", "polite", "proud", "quick",
            "quiet", "rare", "silent", "sleek", "smooth", "steady", "sunny", "swift", "tidy", "vivid",
            "warm", "wise", "witty", "young", "zesty");
    private static final List<String> NOUNS = List.of(
            "ant", "badger", "bear", "bee", "bison", "crane", "crow", "deer", "dolphin", "eagle",
            "falcon", "finch", "fox", "frog", "gull", "hare", "hawk", "heron", "ibis", "jay",
            "koala", "lark", "lemur", "lion", "lynx", "mole", "moose", "newt", "otter", "owl",
            "panda", "quail", "raven", "robin", "seal", "shrew", "sloth", "snail", "swan", "tiger",
            "toad", "trout", "whale", "wolf", "wren", "yak", "zebra");

    private RunNames() {
    }

    static String forRunId(String runId) {
        long bits = Long.parseUnsignedLong(runId.substring(0, 15), 16);
        String adjective = ADJECTIVES.get((int) (bits % ADJECTIVES.size()));
        bits /= ADJECTIVES.size();
        String noun = NOUNS.get((int) (bits % NOUNS.size()));
        bits /= NOUNS.size();
        return adjective + "-" + noun + "-" + (bits % 1000);
    }
}
