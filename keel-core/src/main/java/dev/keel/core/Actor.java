package dev.keel.core;

/**
 * Who is asking. Passed explicitly to every service call, never kept in a thread-local, so
 * CLI, REST, SDK and UI all go through the same checks.
 */
public record Actor(String name) {
    /** The operator of a local embedded Keel, when authentication is off. */
    public static final Actor LOCAL = new Actor(System.getProperty("user.name", "local"));

    public Actor {
        Checks.requireText("actor", name, 256);
    }
}
